// AcademicHub's page: today's radar, search, feedback and briefings over the JSON API. No framework, no
// build step; every label in English and Chinese.
"use strict";

const TEXT = {
  en: {
    skip: "Skip to the papers", tagline: "Academic Intelligence · Curated Daily", radarTab: "Radar", searchTab: "Search",
    radar: "Radar", window: "Papers from", today: "today", week: "the last 7 days", month: "the last 30 days", allDates: "any date",
    manageRadar: "Rename or delete this radar", newName: "New name", rename: "Rename", deleteRadar: "Delete this radar",
    deleteAgain: n => `Delete “${n}” and its feedback? Click again`, renamed: (a, b) => `“${a}” is now “${b}”`,
    deleted: n => `Radar “${n}” deleted`,
    briefing: "Briefing", newRadar: "New radar", name: "Name", describe: "What are you looking for?",
    keywords: "Keywords (comma-separated)", categories: "Categories (comma-separated, e.g. cs.CL)", create: "Create",
    query: "Query", queryHint: "e.g. graph neural networks -survey", mode: "Mode", modeAuto: "automatic", modeHybrid: "hybrid",
    modeKeyword: "keyword", modeSemantic: "semantic", search: "Search", filters: "Filters", source: "Source", category: "Category",
    after: "After", before: "Before", prev: "Previous", next: "Next", language: "Language", close: "Close", metrics: "metrics",
    tokenAsk: "This server asks a token for changes:", save: "Save",
    keys: "Keys: / search · j k move · l like · d dislike · s save · h hide · u undo · m more like this · e whole abstract · o open · b briefing",
    takenBack: r => `Rating taken back · radar “${r}” updated`, nothingToUndo: "No rating on this page to take back.",
    takenBackTo: (s, r) => `Rating taken back (${s.toLowerCase()} again) · radar “${r}” updated`,
    like: "Like", dislike: "Dislike", saveAction: "Save", hide: "Hide", more: "More like this",
    liked: "Liked", disliked: "Disliked", saved: "Saved", hidden: "Hidden",
    papers: n => `${n} paper${n === "1" ? "" : "s"}`, noRadar: "No radar yet: create one above (New radar) to get a daily feed.",
    feedNote: (n, c, w) => `${n} of ${c} paper${c === "1" ? "" : "s"} from ${w}, ranked for you`,
    emptyToday: "Nothing new in this window; showing papers from any date.", empty: "No papers to show.",
    emptyNewest: d => `No paper is dated in this window (the newest is from ${d}); showing papers from any date.`,
    showRated: "also papers rated or seen",
    list: "Show", listFeed: "the feed", listSave: "saved papers", listLike: "liked papers", listRated: "every rated paper",
    ratedNote: (n, total, list) => `${n} of ${total} ${{ save: "saved", like: "liked" }[list] || "rated"} paper${total === "1" ? "" : "s"}, the latest rated first`,
    ratedEmpty: list => list === "save" ? "No paper saved on this radar yet: Save keeps a paper here." : list === "like"
      ? "No paper liked on this radar yet: Like teaches the radar and keeps the paper here." : "No paper rated on this radar yet.",
    ratedOn: (s, d) => `${s} ${d}`,
    noReason: "None of these papers holds the radar's words or resembles what you liked: nothing here is close to it yet.",
    matched: "Matches", described: "Matches the description", closeMeaning: "Close in meaning to the description", describedKeywords: "Matches the keywords", closeKeywords: "Close in meaning to the keywords", resembles: "Resembles", scaleWords: "words", scaleMeaning: "meaning", faint: "No one word stands out: many slight matches together", remote: "Nothing it holds is the radar's: few papers of this window are closer", inCategory: "Category", fromSource: "Source", explore: "Exploring beyond your usual taste",
    results: (t, a, b) => t === "1" ? "1 result" : `${t} results, ${a}–${b}`, noResults: "No results.", page: (p, n) => `page ${p} of ${n}`,
    pastLast: t => `${t} result${t === "1" ? "" : "s"}; this page is past the last`,
    moreLike: t => `More like “${t}”`, byMeaning: "No paper holds these words; the nearest by meaning",
    noticeUnranked: n => `${n} word${n === "1" ? "" : "s"} past the 64th not searched for`,
    noticeUndated: n => `${n} paper${n === "1" ? " has" : "s have"} no date, and date filters leave them out`,
    noticeUnembedded: (n, semantic) => `${n} paper${n === "1" ? " has" : "s have"} no vector yet, so ${semantic ? `meaning cannot find ${n === "1" ? "it" : "them"}` : `${n === "1" ? "it ranks" : "they rank"} by words alone`} (ahub embed)`,
    noticeNomodel: "the embedding model is not installed, so this is a keyword search (scripts/install-model)",
    noticeKey: "the paper this key names (quote it to search for the text)",
    noticeNofacet: "no paper here has a category or source the query names (a typo?)",
    noticeFiltered: n => `${n} paper${n === "1" ? " holds" : "s hold"} these words, but the filters and exclusions leave ${n === "1" ? "it" : "them all"} out`,
    byMeaningKept: "No paper the filters keep holds these words; the nearest of them by meaning",
    byTerms: "The meaning model cannot read this query's language, so its words rank the papers", working: "Working…", writing: "Writing the briefing…",
    briefNote: (n, p) => `${n} paper${n === "1" ? "" : "s"} · ${p}`, feedbackDone: (s, r) => `${s} · radar “${r}” updated`, needRadar: "Pick or create a radar first.",
    created: n => `Radar “${n}” created`, tokenSaved: "Token saved; try again.", tokenSavedSending: "Token saved; sending it again.", failed: m => `Failed: ${m}`,
    authorsMore: n => ` and ${n} more`, duplicates: n => `${n} near-duplicate${n > 1 ? "s" : ""} folded in`,
    offline: "Cannot reach the AcademicHub server: is `ahub serve` still running?", showMore: "Show 10 more",
    needDescription: "Describe what you are looking for, or give keywords.", needQuery: "Type the words to search for.",
    nothingToBrief: "Nothing to brief: the list is empty.", createdWarning: (n, w) => `Radar “${n}” created. Note: ${w}`,
    moreFeed: "more of the feed", pages: "pages", ratesFor: r => `Like, dislike, save and hide here teach radar “${r}” (picked on the Radar tab).`,
    provider: { extractive: "written offline (extractive)", llm: "written by the LLM", command: "written by your command" },
  },
  zh: {
    skip: "跳到论文列表", tagline: "学术情报 · 每日精选", radarTab: "雷达", searchTab: "搜索",
    radar: "雷达", window: "论文时间", today: "今天", week: "最近 7 天", month: "最近 30 天", allDates: "全部日期",
    manageRadar: "重命名或删除此雷达", newName: "新名称", rename: "重命名", deleteRadar: "删除此雷达",
    deleteAgain: n => `删除「${n}」及其全部反馈？再点一次确认`, renamed: (a, b) => `「${a}」已改名为「${b}」`,
    deleted: n => `雷达「${n}」已删除`,
    briefing: "简报", newRadar: "新建雷达", name: "名称", describe: "你在关注什么？",
    keywords: "关键词（逗号分隔）", categories: "分类（逗号分隔，如 cs.CL）", create: "创建",
    query: "查询", queryHint: "例如：图神经网络 -survey", mode: "模式", modeAuto: "自动", modeHybrid: "混合",
    modeKeyword: "关键词", modeSemantic: "语义", search: "搜索", filters: "筛选", source: "来源", category: "分类",
    after: "晚于", before: "早于", prev: "上一页", next: "下一页", language: "语言", close: "关闭", metrics: "运行指标",
    tokenAsk: "此服务器修改数据需要令牌：", save: "保存",
    keys: "快捷键：/ 搜索 · j k 移动 · l 喜欢 · d 不喜欢 · s 收藏 · h 隐藏 · u 撤销 · m 更多类似 · e 展开摘要 · o 打开 · b 简报",
    takenBack: r => `已撤销评价 · 雷达「${r}」已更新`, nothingToUndo: "本页还没有可撤销的评价。",
    takenBackTo: (s, r) => `已撤销评价（恢复为${s}） · 雷达「${r}」已更新`,
    like: "喜欢", dislike: "不喜欢", saveAction: "收藏", hide: "隐藏", more: "更多类似",
    liked: "已喜欢", disliked: "已标记不喜欢", saved: "已收藏", hidden: "已隐藏",
    papers: n => `${n} 篇论文`, noRadar: "还没有雷达：在上方“新建雷达”中建一个，即可获得每日推荐。",
    feedNote: (n, c, w) => `从${w}的 ${c} 篇论文中为你挑选了 ${n} 篇`,
    emptyToday: "这段时间没有新论文；下面显示全部日期的论文。", empty: "没有可显示的论文。",
    emptyNewest: d => `这段时间内没有论文（最新的论文来自${d}）；下面显示全部日期的论文。`,
    showRated: "也显示已评价或已看过的论文",
    list: "显示", listFeed: "推荐", listSave: "收藏的论文", listLike: "喜欢的论文", listRated: "全部已评价的论文",
    ratedNote: (n, total, list) => `共 ${total} 篇${{ save: "收藏的", like: "喜欢的" }[list] || "已评价的"}论文，按评价时间从新到旧显示 ${n} 篇`,
    ratedEmpty: list => list === "save" ? "这个雷达还没有收藏的论文：点“收藏”即可把论文留在这里。" : list === "like"
      ? "这个雷达还没有喜欢的论文：点“喜欢”会让雷达学习，并把论文留在这里。" : "这个雷达还没有评价过的论文。",
    ratedOn: (s, d) => `${d}${s}`,
    noReason: "这些论文都不含雷达的关键词，也不像你喜欢的论文：这里暂时没有与它相近的论文。",
    matched: "匹配词", described: "符合描述", closeMeaning: "与描述语义相近", describedKeywords: "符合关键词", closeKeywords: "与关键词语义相近", resembles: "相似于", scaleWords: "用词", scaleMeaning: "语义", faint: "没有单个突出的词：由许多细微的相近之处共同排到这里", remote: "它不含雷达的任何词：只因这一时段更相近的论文不多", inCategory: "分类", fromSource: "来源", explore: "探索你平常兴趣之外的内容",
    results: (t, a, b) => t === "1" ? "共 1 条结果" : `共 ${t} 条结果，第 ${a}–${b} 条`, noResults: "没有结果。", page: (p, n) => `第 ${p} / ${n} 页`,
    pastLast: t => `共 ${t} 条结果；此页已超出最后一页`,
    moreLike: t => `与「${t}」类似`, byMeaning: "没有论文包含这些词；以下按语义最接近",
    noticeUnranked: n => `第 64 个之后的 ${n} 个词未参与检索`,
    noticeUndated: n => `${n} 篇论文没有日期，日期筛选不包含它们`,
    noticeUnembedded: (n, semantic) => `${n} 篇论文尚无向量，${semantic ? "语义检索找不到它们" : "只按用词排序"}（运行 ahub embed）`,
    noticeNomodel: "未安装嵌入模型，本次仅按关键词检索（运行 scripts/install-model）",
    noticeKey: "这是该标识符所指的论文（加引号则按文字检索）",
    noticeNofacet: "资料库中没有论文属于查询所指的类别或来源（是否拼错？）",
    noticeFiltered: n => `${n} 篇论文包含这些词，但都被筛选条件或排除词排除了`,
    byMeaningKept: "筛选保留的论文都不包含这些词；以下按语义最接近",
    byTerms: "语义模型读不懂此查询的语言，改按词语排序", working: "处理中…", writing: "正在撰写简报…",
    briefNote: (n, p) => `${n} 篇论文 · ${p}`, feedbackDone: (s, r) => `${s} · 雷达「${r}」已更新`, needRadar: "请先选择或新建一个雷达。",
    created: n => `已创建雷达「${n}」`, tokenSaved: "令牌已保存，请重试。", tokenSavedSending: "令牌已保存，正在重新发送。", failed: m => `失败：${serverInChinese(m)}`,
    authorsMore: n => ` 等（另有 ${n} 人）`, duplicates: n => `合并了 ${n} 篇近似重复论文`,
    offline: "无法连接 AcademicHub 服务器：`ahub serve` 是否仍在运行？", showMore: "再显示 10 篇",
    needDescription: "请描述你在关注什么，或填写关键词。", needQuery: "请输入要搜索的词。",
    nothingToBrief: "没有可写简报的论文：列表为空。", createdWarning: (n, w) => `已创建雷达「${n}」。注意：${w}`,
    moreFeed: "更多推荐", pages: "翻页", ratesFor: r => `在这里喜欢、不喜欢、收藏或隐藏，都会用于雷达「${r}」（在“雷达”页选择）。`,
    provider: { extractive: "离线生成（抽取式）", llm: "由大语言模型撰写", command: "由你的命令生成" },
  },
};

const SIGNALS = [["like", "like", "liked"], ["dislike", "dislike", "disliked"], ["save", "saveAction", "saved"], ["hide", "hide", "hidden"]];
const PAGE = 10;
const $ = id => document.getElementById(id);
const state = {
  lang: localStorage.getItem("ahub.lang") || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en"),
  radar: localStorage.getItem("ahub.radar") || "", window: localStorage.getItem("ahub.window") || "1",
  // `list`: the feed, or the papers saved, liked or rated on the radar (the latest rated first).
  feed: null, radarList: [], failedNotes: {}, feedLimit: PAGE, showRated: false, list: "feed", results: null, resultsTitle: null, search: null, similar: null,
  handle: { feed: null, results: null }, briefSource: null, pendingWrite: null, returnFocus: null,
  // The ratings given on this page, the latest last: u takes them back one by one (the most kept: 100).
  given: [],
  searchHash: null,
  // Each list's latest request: an answer to an earlier one (a slow search, a radar picked before) is dropped.
  asked: { feed: 0, results: 0, restore: 0 },
  // What was rated on this page, by key: a card drawn again (paging, another language) shows it still.
  rated: {},
  // Failures and the last briefing, drawn again in the other language.
  feedError: null, resultsError: null, briefing: null, createWarnings: null,
};
// The server's messages (English) that the page's actions meet most, said in Chinese on the 中文 page: each
// pattern matches a message as the server words it, its parts (a name, a key, a value) kept; a message
// none matches is shown as the server gave it.
const SERVER_ZH = [
  [/^no radar named (.+?)(?:; there is none yet|; radars: .*)?$/s, (m, n) => `没有名为「${n}」的雷达`],
  [/^a radar named (.+?) exists already(?:: .*)?$/s, (m, n) => `已有名为「${n}」的雷达`],
  [/^no papers? (.+) in the library(?:; search finds keys)?(?:; nothing was (?:recorded|taken back))?$/s,
    (m, k) => `资料库中没有论文 ${k.replace(/ and (\d+) more$/, " 等（另有 $1 篇）")}`],
  [/^no rating of (.+) on radar (.+); nothing was taken back(?: \(.*\))?$/s, (m, k, r) => `雷达「${r}」上没有对 ${k} 的评价，未撤销任何评价`],
  [/^describe the radar: /, () => "请描述这个雷达：关注的内容、关键词或种子论文"],
  [/^no paper in the library holds any of the radar's words yet/, () => "资料库中还没有论文包含这个雷达的任何词（拼写是否与论文一致？）：在含有这些词的论文导入或抓取进来之前，它的推送没有相近的论文；种子论文可以给它一个起点"],
  [/^the library has no papers yet: the radar's feed is empty/, () => "资料库中还没有论文：导入或抓取论文之前，这个雷达的推送是空的"],
  [/^the description has no words to follow: "(.+)" is (\d+) bytes long/s, (m, w, n) => `描述中没有可追踪的词：「${w}」长 ${n} 字节，超过 128 字节的词不编入索引；请换种说法，或添加关键词、种子论文`],
  [/^the description has no words to follow/, () => "描述中没有可追踪的词（只有停用词或标点）：请换种说法，或添加关键词、种子论文"],
  [/^a radar needs a name of 1 to 100 characters/, () => "雷达名称须为一行 1 至 100 个字符，不含制表符或控制字符"],
  [/^a radar's name needs a visible character$/, () => "雷达名称至少需要一个可见字符"],
  [/^a radar cannot be named import /, () => "雷达不能命名为 import（API 的 /api/radars/import 用于导入雷达）"],
  [/^the quote here is never closed; add a closing (\S+)/, (m, q) => `引号没有闭合：请补上右引号 ${q} 或删去它`],
  [/^q is longer than (\d+) characters$/, (m, n) => `查询超过 ${n} 个字符：请缩短它`],
  [/^(\S+) is longer than (\d+) characters$/, (m, p, n) => `参数 ${p} 超过 ${n} 个字符`],
  [/^OR needs a word after it$/, () => "OR 后面需要一个词"],
  [/^OR needs a word before it; "(.*)" is a stopword, which search leaves out$/s, (m, w) => `OR 前面需要一个词：「${w}」是停用词，搜索会略去它`],
  [/^OR needs a word before it; "(.*)" is punctuation, which search leaves out$/s, (m, w) => `OR 前面需要一个词：「${w}」是标点，搜索会略去它`],
  [/^OR needs a word before it$/, () => "OR 前面需要一个词"],
  [/^NOT needs a word after it/, () => "NOT 后面需要一个词（它排除这个词，与 -词 相同）"],
  [/^(\w+): needs a value, as in (\S+)$/, (m, f, e) => `${f}: 需要一个值，例如 ${e}`],
  [/^a \* must end the beginning of a word, as in diffus\*; (.+) has one inside/s, (m, w) => `* 只能放在词首部分的末尾，例如 diffus*；${w} 的 * 在词中间（加引号可搜索其中的词）`],
  [/^a \* must end the beginning of a word, as in diffus\*$/, () => "* 只能放在词首部分的末尾，例如 diffus*"],
  [/^"(.+)" is (\d+) bytes long; words over (\d+) bytes are not indexed, so it cannot match$/s, (m, w, n, max) => `「${w}」长 ${n} 字节；超过 ${max} 字节的词不编入索引，因此无法匹配`],
  [/^Cannot reach the AcademicHub server: /, () => TEXT.zh.offline],
  [/^a query needs something to find besides -exclusions$/, () => "只有排除项（-词）：还需要要找的词"],
  [/^nothing to search for: /, () => "没有可搜索的内容：只有停用词、标点或运算符"],
  [/^(after|before): wants a date as YYYY-MM-DD, YYYY-MM or YYYY, not "(.*)"$/s, (m, f, v) => `${f}: 需要 YYYY-MM-DD、YYYY-MM 或 YYYY 格式的日期，而不是「${v}」`],
  [/^(\w+) takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not (.*)$/s, (m, f, v) => `${f} 需要 YYYY-MM-DD、YYYY-MM 或 YYYY 格式的日期，而不是「${v}」`],
  [/^after([:=])([^,\s]+) is later than before[:=]([^,\s]+)/, (m, sep, a, b) => `after${sep}${a} 晚于 before${sep}${b}，没有论文能匹配；是否写反了？`],
  [/^OR joins words, not filters: -(\w+): named twice leaves out both$/, (m, f) => `OR 只能连接词，不能连接过滤条件：写两次 -${f}: 会把两者都排除`],
  [/^OR joins words, not filters: name (\w+): twice for either/, (m, f) => `OR 只能连接词，不能连接过滤条件：要任选其一，写两次 ${f}:（${f}:A ${f}:B）`],
  [/^OR joins words, not filters: author: named twice means both authors/, () => "OR 只能连接词，不能连接过滤条件：写两次 author: 表示两位作者都要有；请分别搜索"],
  [/^OR joins words, not filters: after: and before: both hold$/, () => "OR 只能连接词，不能连接过滤条件：after: 与 before: 同时生效"],
  [/^(\w+) takes one value without spaces, quotes or parentheses, not (.*)$/s, (m, f, v) => `${f} 只取一个值，不含空格、引号或括号，而不是「${v}」`],
  [/^q names (.+) and (\w+)=(.*) would widen it to either: /s, (m, listed, f, v) => `q 已指定 ${listed}，再加 ${f}=${v} 会放宽为任一：请只在一处给出 ${f}`],
  [/^q names (.+) already: give the (\w+) in one place/s, (m, listed, f) => `q 已指定 ${listed}：请只在一处给出 ${f}`],
  [/^a radar's name cannot begin with -/, () => "雷达名称不能以 - 开头（会被当作命令行选项）"],
  [/^writes need the server's token: /, () => "修改数据需要此服务器的令牌"],
  [/^the token given is not this server's/, () => "所给令牌不是此服务器的令牌：请重新输入"],
  [/^too many requests from .+; retry in (\d+) s$/s, (m, n) => `请求过多，请 ${n} 秒后重试`],
  [/^the library is busy: /, () => "资料库正忙：另一个进程正在写入，请稍后重试"],
  [/^no paper in the library has source (.+?): (.+?) is a name in `ahub sources`, and a paper's source is where it comes from \(arxiv, biorxiv, a feed's site\): (?:its papers come from (\S+)|`ahub stats` lists them by source)$/s,
    (m, v, n, o) => `资料库中没有来源为 ${v} 的论文：${n} 是 ahub sources 中的名称，而论文的来源指它从哪里来（arxiv、biorxiv、订阅源的网站）：` + (o ? `它的论文来自 ${o}` : "ahub stats 按来源列出")],
  [/^no paper in the library has (category|source) (.+) yet; the radar will favour it when one comes$/s,
    (m, kind, v) => `资料库中还没有${kind === "category" ? "类别" : "来源"}为 ${v} 的论文；有了之后雷达会优先推荐`],
];
// Warnings as sentences: the server's, each capitalized and closed (English), or said in Chinese.
function warningsText(warnings) {
  return state.lang === "zh" ? warnings.map(w => serverInChinese(w).replace(/[.;。]?$/, "。")).join("")
    : warnings.map(w => w.charAt(0).toUpperCase() + w.slice(1).replace(/[.;]?$/, ".")).join(" ");
}

function serverInChinese(message) {
  // A query's error names its column first.
  const at = String(message).match(/^query error at column (\d+): (.*)$/s);
  if (at) return `查询第 ${at[1]} 列有误：${serverInChinese(at[2])}`;
  for (const [pattern, say] of SERVER_ZH) {
    const m = String(message).match(pattern);
    if (m) return say(...m);
  }
  return message;
}
const t = (key, ...args) => { const v = TEXT[state.lang][key] ?? TEXT.en[key] ?? key; return typeof v === "function" ? v(...args) : v; };
const locale = () => state.lang === "zh" ? "zh-CN" : "en-GB";
const number = n => new Intl.NumberFormat(locale()).format(n);
function day(text) {
  if (!text) return "";
  const d = new Date(text.length === 10 ? text + "T00:00:00Z" : text);
  if (isNaN(d)) return text;
  return new Intl.DateTimeFormat(locale(), { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(d);
}

// ---- the API

async function api(path, body, method = body === undefined ? "GET" : "POST") {
  const headers = { "Accept": "application/json" };
  const token = sessionStorage.getItem("ahub.token");
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // Reads carry it too: the feed the owner reads is marked as shown, a guest's is not.
  if (token) headers["Authorization"] = "Bearer " + token;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // The browser's own words ("Failed to fetch") say nothing. Kept in English, as the server's messages are, and
  // said in the page's language where it is shown (it had stayed in the language it first came in).
  } catch { throw new Error(TEXT.en.offline); }
  const data = await response.json().catch(() => ({}));
  // The server answers again after an outage: the header's count, blanked then, comes back.
  if (state.statsFailed && !path.startsWith("/api/stats")) loadStats();
  if (response.status === 401) { $("token-form").hidden = false; $("token").focus(); }
  if (!response.ok) throw Object.assign(new Error(data.error?.message || `HTTP ${response.status}`), { status: response.status });
  return data;
}

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove("show"), 2500);
}

// ---- text: LaTeX kept readable

const TEX = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η", theta: "θ", kappa: "κ",
  lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ",
  omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω", Pi: "Π",
  times: "×", cdot: "·", pm: "±", leq: "≤", le: "≤", geq: "≥", ge: "≥", neq: "≠", approx: "≈", sim: "∼", simeq: "≃", propto: "∝",
  infty: "∞", to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", in: "∈", sum: "∑", prod: "∏", int: "∫", partial: "∂",
  nabla: "∇", sqrt: "√", ell: "ℓ", hbar: "ħ", langle: "⟨", rangle: "⟩", ldots: "…", cdots: "⋯", dots: "…", circ: "∘", deg: "°",
  log: "log", exp: "exp", max: "max", min: "min", quad: " ", qquad: "  ", "%": "%", "&": "&", "_": "_", "{": "{", "}": "}",
  subset: "⊂", subseteq: "⊆", supset: "⊃", supseteq: "⊇", cup: "∪", cap: "∩", setminus: "∖", emptyset: "∅", varnothing: "∅",
  forall: "∀", exists: "∃", neg: "¬", wedge: "∧", land: "∧", vee: "∨", lor: "∨", otimes: "⊗", oplus: "⊕", perp: "⊥",
  equiv: "≡", ll: "≪", gg: "≫", mid: "∣", colon: ":", mapsto: "↦", leftrightarrow: "↔", iff: "⟺", ast: "∗", star: "⋆",
  "|": "‖", Vert: "‖", lVert: "‖", rVert: "‖", vert: "|", lvert: "|", rvert: "|", lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉",
};
const SUP = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "+": "⁺", "-": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", n: "ⁿ", i: "ⁱ" };
const SUB = { 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉", "+": "₊", "-": "₋", "=": "₌", "(": "₍", ")": "₎",
  a: "ₐ", e: "ₑ", h: "ₕ", i: "ᵢ", j: "ⱼ", k: "ₖ", l: "ₗ", m: "ₘ", n: "ₙ", o: "ₒ", p: "ₚ", r: "ᵣ", s: "ₛ", t: "ₜ", u: "ᵤ", v: "ᵥ", x: "ₓ" };
const BLACKBOARD = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ", E: "𝔼", P: "ℙ" };
function script(text, table, mark) {
  return [...text].every(c => table[c]) ? [...text].map(c => table[c]).join("") : mark + (text.length > 1 ? `(${text})` : text);
}
const ACCENT = { tilde: "\u0303", widetilde: "\u0303", hat: "\u0302", widehat: "\u0302", bar: "\u0304", overline: "\u0305",
  vec: "\u20D7", dot: "\u0307", ddot: "\u0308" };
const BRACE_OPEN = "\uE000", BRACE_CLOSE = "\uE001";  // \{ and \} while a formula's grouping braces are dropped
const symbols = text => text.replace(/\\([A-Za-z]+)/g, (m, name) => TEX[name] ?? m);
// a/b, or (a + b)/(c d): parentheses only where the part is more than one symbol or number
const part = x => /^(?:√?[\p{L}\p{N}\p{M}.]+|.)$/u.test(x) ? x : `(${x})`;
// One pass over the braced constructs whose braces hold no braces (innermost first).
function braced(text) {
  return text
    .replace(/\\mathbb(?:\{(\w)\}|\s*(\w))/g, (m, a, b) => BLACKBOARD[a ?? b] || (a ?? b))
    // Written without braces, a font or an accent takes the next symbol: \mathbf\theta, \hat x, \frac12.
    .replace(/\\(?:mathrm|mathbf|mathcal|mathit|mathsf|mathtt|boldsymbol)(?![A-Za-z{])\s*/g, "")
    .replace(/\\(tilde|widetilde|hat|widehat|bar|overline|vec|dot|ddot)(?![A-Za-z{])\s*(\\[A-Za-z]+|\w)/g, (m, accent, x) => {
      const inner = symbols(x);
      return /\\/.test(inner) ? m : inner + ACCENT[accent];
    })
    .replace(/\\[dt]?frac\s*(\d)\s*(\d)/g, "$1/$2")
    .replace(/\\(?:mathrm|mathbf|mathcal|mathit|mathsf|mathtt|textbf|textit|textrm|emph|text|operatorname|boldsymbol)\{([^{}]*)\}/g, "$1")
    .replace(/\\(tilde|widetilde|hat|widehat|bar|overline|vec|dot|ddot)\{([^{}]*)\}/g, (m, accent, x) => {
      const inner = symbols(x);
      return /[<\\]/.test(inner) ? inner : [...inner].map(c => c.trim() ? c + ACCENT[accent] : c).join("").normalize("NFC");
    })
    .replace(/\\sqrt\{([^{}]*)\}/g, (m, x) => "√" + part(symbols(x)))
    .replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, (m, a, b) => `${part(symbols(a))}/${part(symbols(b))}`);
}
const scripts = text => text
  .replace(/\^\{([^{}]*)\}|\^(\w)/g, (m, a, b) => script(a ?? b, SUP, "^"))
  .replace(/_\{([^{}]*)\}|_(\w)/g, (m, a, b) => script(a ?? b, SUB, "_"));
// Until nothing changes, at most 4 passes: \frac{\sqrt{n}}{\varepsilon_2^{2}} takes three.
function settle(text, pass) {
  for (let i = 0; i < 4; i++) { const before = text; text = pass(text); if (text === before) break; }
  return text;
}
const spacing = text => text.replace(/\\[ ,;:]/g, " ").replace(/\\!/g, "")
  .replace(/\\(?:left|right)\.|\\(?:left|right|[bB]igg?[lr]?)(?![A-Za-z])/g, "");
const commands = text => settle(spacing(text), braced).replace(/\\([A-Za-z]+|[%&_{}|])/g, (m, name) => TEX[name] ?? m);
// Inside $…$, \(…\) or \[…\] (a dollar opened before a non-space, closed after one, not followed by a digit:
// "$10 and $20" is money) also scripts and braces; elsewhere only the commands. Works on text and on the
// server's highlighted HTML alike (it only ever writes letters and symbols).
function readableTeX(text) {
  if (!text || !/[\\$]/.test(text)) return text;
  const dollars = text.replace(/\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)/g, (m, a, b) => `$${(a ?? b).trim()}$`);
  return commands(dollars.replace(/\$\$?(?=\S)([^$]*?\S)\$\$?(?!\d)/g, (m, math) => commands(settle(spacing(
    math.replace(/\\\{|\\lbrace(?![A-Za-z])/g, BRACE_OPEN).replace(/\\\}|\\rbrace(?![A-Za-z])/g, BRACE_CLOSE)),
  text => scripts(braced(text))))
    .replace(/[{}]/g, "").replaceAll(BRACE_OPEN, "{").replaceAll(BRACE_CLOSE, "}")));
}

// ---- Markdown (the briefing): headings (# under the panel's h2 becomes h3), lists, quotes, paragraphs, bold,
// italic, code, links

function inline(text) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return escaped
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" rel="noopener noreferrer">$1</a>');
}
function markdown(source) {
  const out = [];
  let list = null, paragraph = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(" "))}</p>`);
    paragraph = [];
  };
  const close = () => { if (list) { out.push(`</${list}>`); list = null; } };
  for (const raw of source.split("\n")) {
    const line = raw.trimEnd();
    let m;
    if (!line.trim()) { flush(); close(); continue; }
    if ((m = line.match(/^(#{1,4})\s+(.*)$/))) { flush(); close(); const n = Math.min(m[1].length + 2, 6); out.push(`<h${n}>${inline(m[2])}</h${n}>`); continue; }
    if ((m = line.match(/^\s*[-*]\s+(.*)$/)) || (m = line.match(/^\s*\d+[.)]\s+(.*)$/))) {
      flush();
      const kind = /^\s*\d/.test(line) ? "ol" : "ul";
      if (list !== kind) { close(); out.push(`<${kind}>`); list = kind; }
      out.push(`<li>${inline(m[1])}</li>`);
      continue;
    }
    if ((m = line.match(/^>\s?(.*)$/))) { flush(); close(); out.push(`<blockquote>${inline(m[1])}</blockquote>`); continue; }
    close();
    paragraph.push(line.trim());
  }
  flush(); close();
  return out.join("\n");
}

// ---- cards

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

card.count = 0;  // cards made so far: each title's id

function card(paper, rank, { reasons, html, radar = state.radar, ratedAt }) {
  const li = element("li", "card");
  li.tabIndex = 0;
  li.born = performance.now();
  li.dataset.key = paper.key;
  li.dataset.given = paper.signal || "";  // the radar's rating of it, as the server drew the card
  li.dataset.rank = number(rank);
  const meta = element("div", "meta");
  const category = (paper.categories || [])[0];
  meta.append(element("span", "source", paper.source + (category ? ` (${category})` : "")));
  if (paper.date) meta.append(element("time", "", day(paper.date)));
  meta.append(element("span", "muted", paper.key));
  // In a list of rated papers: the rating and its day.
  if (ratedAt) meta.append(element("span", "muted", t("ratedOn", t(SIGNALS.find(s => s[0] === paper.signal)?.[2] ?? "saved"), day(ratedAt))));
  const title = element("h3");
  title.id = `title-${++card.count}`;
  // Only web addresses from a feed become links (never javascript: or data:); a paper without one has none
  // (its JSON record is no page to read).
  const web = /^https?:\/\//i.test(paper.url || "");
  const link = element(web ? "a" : "span");
  if (web) {
    link.href = paper.url;
    link.rel = "noopener noreferrer";
    link.target = "_blank";  // the feed or the results stay where they were
  }
  if (html) link.innerHTML = readableTeX(paper.titleHighlighted); else link.textContent = readableTeX(paper.title);
  title.append(link);
  // Read out as its title, then what else the card says (its reasons among it); each button names its paper.
  li.setAttribute("aria-labelledby", title.id);
  li.append(meta, title);
  const abstract = element("p", "abstract clamped");
  if (html) abstract.innerHTML = readableTeX(paper.snippet); else abstract.textContent = readableTeX(paper.abstract || "");
  abstract.setAttribute("aria-expanded", "false");
  abstract.addEventListener("click", () => abstract.setAttribute("aria-expanded", String(!abstract.classList.toggle("clamped"))));
  li.append(abstract);
  if (paper.authors?.length) {
    const shown = paper.authors.slice(0, 6).join(", ");
    li.append(element("p", "authors", shown + (paper.authors.length > 6 ? t("authorsMore", number(paper.authors.length - 6)) : "")));
  }
  if (reasons) {
    const box = reasonsOf(paper);
    if (box.childNodes.length) { box.id = `${title.id}-why`; li.setAttribute("aria-describedby", box.id); li.append(box); }
  }
  const actions = element("div", "actions");
  for (const [signal, label] of SIGNALS) {
    const button = element("button", signal, t(label));
    button.type = "button";
    button.dataset.signal = signal;
    button.setAttribute("aria-describedby", title.id);
    button.setAttribute("aria-pressed", String(ratedAs(paper.key, radar, paper.signal) === signal));
    // A card drawn under the pointer a moment ago (the feed redrawn after a rating) takes no click yet: the
    // second click of a quick double click would rate the paper that moved there. Keys are not held back.
    button.addEventListener("click", event => {
      if (event.detail > 0 && performance.now() - li.born < 500) return;
      feedback(li, paper.key, signal);
    });
    actions.append(button);
  }
  const more = element("button", "more", t("more"));
  more.type = "button";
  more.setAttribute("aria-describedby", title.id);
  more.addEventListener("click", () => moreLike(paper));
  actions.append(more);
  li.append(actions);
  if (ratedAs(paper.key, radar, paper.signal)) li.classList.add("rated");
  return li;
}

// What a paper was rated on this page for a radar (ratings are a radar's own).
const ratedAs = (key, radar, given) => state.rated[`${radar}\u0001${key}`] ?? given;

// A reason of topic: the radar's words, its meaning, a paper it was told to like. (A category or source it favours
// is said beside a paper, but is no sign the paper is on the topic: a feed of those alone is said to hold nothing close.)
const hasReason = item => Boolean(item.descriptionTerms?.length || item.matchesDescription || item.terms?.length ||
  item.resembles?.length);

function reasonsOf(item) {
  const box = element("div", "reasons");
  const parts = [];
  if (item.exploration) parts.push([t("explore"), ""]);
  // The description's words first, then the model's other words (each word said once).
  const described = item.descriptionTerms || [];
  const comma = state.lang === "zh" ? "、" : ", ";
  // A radar of keywords alone has no description for a paper to match: its words are the keywords.
  const told = state.radarList.find(r => r.name === state.feed?.radar);
  const byKeywords = told !== undefined && !told.description.trim();
  if (described.length) parts.push([t(byKeywords ? "describedKeywords" : "described"), described.join(comma)]);
  else if (item.matchesDescription) parts.push([t(byKeywords ? "closeKeywords" : "closeMeaning"), number(Math.round(item.descriptionSimilarity * 100) / 100)]);
  const seen = new Set(described.map(w => w.toLowerCase()));
  const terms = (item.terms || []).filter(w => !seen.has(w.toLowerCase()));
  if (terms.length) parts.push([t("matched"), terms.join(comma)]);
  const resembles = (item.resembles || []).map(r =>
    `${readableTeX(r.title)}${state.lang === "zh" ? "（" : " ("}${t(r.by === "meaning" ? "scaleMeaning" : "scaleWords")} ${number(Math.round(r.similarity * 100) / 100)}${state.lang === "zh" ? "）" : ")"}`);
  if (resembles.length) parts.push([t("resembles"), resembles.join(state.lang === "zh" ? "；" : "; ")]);
  if (item.category && item.categoryIsReason) parts.push([t("inCategory"), item.category]);
  if (item.sourceIsReason) parts.push([t("fromSource"), item.source]);
  // Ranked here with nothing to name (words under the bar, lone characters): said, not left blank; unless no
  // paper of the feed has a reason (the note above says nothing is close), when "slight matches" would be untrue.
  if (!hasReason(item) && !item.exploration && state.feedHasReason) parts.push([t(item.sharesWords === false ? "remote" : "faint"), ""]);
  if (item.duplicates?.length) parts.push([t("duplicates", item.duplicates.length), ""]);
  parts.forEach(([label, value], i) => {
    if (i) box.append(" · ");
    box.append(element("b", "", label + (value ? (state.lang === "zh" ? "：" : ": ") : "")), value);
  });
  return box;
}

// ---- the radar

async function loadRadars() {
  const { radars } = await api("/api/radars");
  state.radarList = radars;
  const picker = $("radar-picker");
  picker.replaceChildren(...radars.map(r => { const o = element("option", "", r.name); o.value = r.name; return o; }));
  if (!radars.some(r => r.name === state.radar)) state.radar = radars[0]?.name || "";
  picker.value = state.radar;
  renderRatesFor();
  $("new-radar").open = radars.length === 0;
  $("manage-radar").hidden = radars.length === 0;
  return radars;
}

// A failure clears the list: cards of another radar or window must not pass for the answer. `extend` keeps
// the cards shown and adds the next ones (a longer feed is ranked afresh, so it is not always a prefix).
async function loadFeed(extend = false) {
  const list = $("feed");
  const asked = ++state.asked.feed;
  state.feedError = null;
  // An address that names a radar names the one shown (after a rename, a delete, a radar gone elsewhere).
  if (location.hash.startsWith("#radar?") && !$("view-radar").hidden) remember(radarHash(), true);
  if (!state.radar) { state.feed = null; list.replaceChildren(); $("feed-more").hidden = true; setNote("feed-note", t("noRadar")); return; }
  setNote("feed-note", t("working"));
  const name = encodeURIComponent(state.radar);
  if (state.list !== "feed") { await loadRated(asked, name); return; }
  // With "also papers rated or seen", what was liked or saved is found again, its button pressed.
  const windowPart = w => (w === "all" ? "any-date=true" : `days=${w}`) + (state.showRated ? "&all=true" : "");
  try {
    let feed = await api(`/api/radars/${name}/feed?${windowPart(state.window)}&limit=${state.feedLimit}`);
    // An empty window falls back to any date, saying how old the newest paper is when the window held none.
    let fellBack = false;
    if (asked !== state.asked.feed) return;
    if (!feed.items.length && state.window !== "all") {
      const newest = feed.newest;
      feed = await api(`/api/radars/${name}/feed?${windowPart("all")}&limit=${state.feedLimit}`);
      fellBack = newest ?? true;
    }
    if (asked !== state.asked.feed) return;
    if (extend && state.feed) {
      const shown = new Set(state.feed.items.map(item => item.key));
      const added = feed.items.filter(item => !shown.has(item.key)).slice(0, PAGE);
      feed = { ...feed, items: [...state.feed.items, ...added].map((item, i) => ({ ...item, rank: i + 1 })) };
    }
    state.feed = feed;
    state.feedFellBack = fellBack;
    state.handle.feed = feed.handle;
    renderFeed();
  } catch (error) {
    if (asked === state.asked.feed) feedFailed(error);
  }
}

// A feed or list that failed: no cards of another radar or list pass for the answer.
function feedFailed(error) {
  state.feed = null;
  state.handle.feed = null;
  state.feedError = error.message;
  $("feed").replaceChildren();
  $("feed-more").hidden = true;
  setNote("feed-note", t("failed", error.message), true);
}

// The papers saved, liked or rated on the radar, the latest rated first, in the feed's place: read in
// pages of 100 (the API's most) up to the number asked for.
async function loadRated(asked, name) {
  const signal = state.list === "rated" ? "" : `&signal=${state.list}`;
  try {
    let rated = null, offset = 0;
    const papers = [];
    do {
      const limit = Math.min(100, state.feedLimit - papers.length);
      rated = await api(`/api/radars/${name}/rated?limit=${limit}&offset=${offset}${signal}`);
      if (asked !== state.asked.feed) return;
      offset += rated.papers.length;
      // A paper rated between two pages moves the rest down one: it is not listed twice.
      const listed = new Set(papers.map(p => p.key));
      papers.push(...rated.papers.filter(p => !listed.has(p.key)));
    } while (rated.papers.length && papers.length < state.feedLimit && offset < rated.total);
    state.feed = { radar: rated.radar, list: state.list, total: rated.total, items: papers.map((p, i) => ({ ...p, rank: i + 1 })) };
    state.feedFellBack = false;
    state.handle.feed = null;
    renderFeed();
  } catch (error) {
    if (asked === state.asked.feed) feedFailed(error);
  }
}

// A note, marked as an error when it is one (read out at once, and not in the grey of "115 results").
function setNote(id, text, error = false) {
  delete state.failedNotes[id];
  const note = $(id);
  note.textContent = text;
  note.classList.toggle("error", error);
  note.setAttribute("role", error ? "alert" : "status");
}

// A form's failure: kept with its message, so that a change of language says it again in the new one.
function setFailedNote(id, message) {
  setNote(id, t("failed", message), true);
  state.failedNotes[id] = message;
}

// The notice that the window was empty stays when the language changes (it is kept with the feed).
function renderFeed() {
  const feed = state.feed, fellBack = state.feedFellBack;
  if (!feed) {
    if (state.feedError) setNote("feed-note", t("failed", state.feedError), true);
    else if (!state.radar) setNote("feed-note", t("noRadar"));
    return;
  }
  if (feed.list) {
    setNote("feed-note", feed.items.length ? t("ratedNote", number(feed.items.length), number(feed.total), feed.list) : t("ratedEmpty", feed.list));
    // Every card here is rated: none is greyed as a rated one is among the feed's.
    $("feed").replaceChildren(...feed.items.map(item => card(item, item.rank, { radar: feed.radar, ratedAt: item.ratedAt })));
    for (const li of $("feed").children) li.classList.remove("rated");
    $("feed-more").hidden = feed.items.length >= feed.total;
    return;
  }
  const windowLabel = feed.window === "all" ? t("allDates") : feed.window.split("…").map(day).join(" – ");
  state.feedHasReason = feed.items.some(hasReason);  // read by each card's reasons
  // Sentences run on without a space in Chinese.
  const space = state.lang === "zh" ? "" : " ";
  const warned = state.createWarnings?.radar === feed.radar ? warningsText(state.createWarnings.warnings) : null;
  setNote("feed-note", (warned ? t("createdWarning", feed.radar, warned) + space : "") +
    (fellBack ? (fellBack === true ? t("emptyToday") : t("emptyNewest", day(fellBack))) + space : "") +
    (feed.items.length ? t("feedNote", number(feed.items.length), number(feed.candidates), windowLabel) : t("empty")) +
    // Scores rank a window against itself: say so when no paper has a reason to be there.
    // (A sentence of its own after the count: a full stop between them.)
    (feed.items.length && !state.feedHasReason ? (state.lang === "zh" ? "。" : ".") + space + t("noReason") : ""));
  $("feed").replaceChildren(...feed.items.map(item => card(item, item.rank, { reasons: true, radar: feed.radar })));
  // The API gives at most 200 a feed; more are there while the feed is full and the window holds more.
  $("feed-more").hidden = feed.items.length < state.feedLimit || state.feedLimit >= 200;
}

async function feedback(li, key, signal, fixed) {
  if (li.dataset.busy) return;  // one rating of a card at a time
  li.dataset.busy = "true";
  try { await rate(li, key, signal, fixed); } finally { delete li.dataset.busy; }
}

// `fixed`: the radar and the choice of a write asked again once the token is given (the page may have moved on).
async function rate(li, key, signal, fixed) {
  // A card of the feed rates for the radar whose feed it is (another may be picked and loading).
  const inFeed = Boolean(li.closest("#feed"));
  const radar = fixed?.radar ?? (inFeed ? state.feed?.radar : state.radar);
  if (!radar) { toast(t("needRadar")); return; }
  // The paper's rating on that radar pressed again takes it back (a toggle, as aria-pressed says).
  const undo = fixed?.undo ?? ratedAs(key, radar, li.dataset.given || undefined) === signal;
  try {
    state.pendingWrite = () => feedback(li, key, signal, { radar, undo });
    let now = signal, unchanged = false;
    if (undo) now = await undoRating(radar, key);
    else unchanged = Boolean((await api(`/api/radars/${encodeURIComponent(radar)}/feedback`, { paper: key, signal })).unchanged);
    state.pendingWrite = null;
    state.rated[`${radar}\u0001${key}`] = now;
    // A rating taken back by its button leaves the ratings u would take back; one the paper had already
    // (given in another tab) adds none.
    if (!undo && !unchanged) state.given = [...state.given, { radar, key }].slice(-100);
    else {
      const at = state.given.findLastIndex(g => g.radar === radar && g.key === key);
      if (at >= 0) state.given.splice(at, 1);
    }
    pressRating(li, now);
    if (!undo) toast(t("feedbackDone", t(SIGNALS.find(s => s[0] === signal)[2]), radar));
    if (inFeed) {
      const index = [...$("feed").children].indexOf(li);
      await loadFeed();
      const cards = $("feed").children;
      cards[Math.min(index, cards.length - 1)]?.focus();
    } else if (radar === state.radar) {
      loadFeed();  // the radar's feed, on the other tab, leaves the rated paper too
    }
  } catch (error) {
    if (error.status !== 401) state.pendingWrite = null;  // only a write waiting for the token is asked again
    toast(t("failed", error.message));
    // The radar was renamed or deleted elsewhere (the CLI, another tab): the picker learns what there is now.
    if (error.status === 404) { await loadRadars(); loadFeed(); }
  }
}

// A card's buttons as its paper is rated now ("" for not rated).
function pressRating(li, now) {
  for (const b of li.querySelectorAll("[data-signal]")) b.setAttribute("aria-pressed", String(b.dataset.signal === now));
  li.classList.toggle("rated", Boolean(now));
}

// Takes back a paper's last rating on a radar; the one before counts again. That rating ("" for none).
async function undoRating(radar, key) {
  const undone = await api(`/api/radars/${encodeURIComponent(radar)}/feedback/${encodeURIComponent(key)}`, undefined, "DELETE");
  const now = undone.papers[0]?.signal ?? "";
  state.rated[`${radar}\u0001${key}`] = now;  // not the rating the card was drawn with
  const before = SIGNALS.find(s => s[0] === now);
  toast(before ? t("takenBackTo", t(before[2]), radar) : t("takenBack", radar));
  return now;
}

// u: the last rating given on this page taken back, and the feed (or list) drawn again; u again, the one before.
async function undoLast() {
  // Off the list at once, so that u pressed twice quickly takes back two ratings, not one twice.
  const last = state.given.pop();
  if (!last) { toast(t("nothingToUndo")); return; }
  let undone = false;
  try {
    state.pendingWrite = undoLast;
    await undoRating(last.radar, last.key);
    undone = true;
    state.pendingWrite = null;
    if (last.radar === state.radar) await loadFeed();
    for (const li of document.querySelectorAll(".card")) if (li.dataset.key === last.key) pressRating(li, ratedAs(last.key, last.radar));
    currentCards().find(li => li.dataset.key === last.key)?.focus();
  } catch (error) {
    // Asked again once the token is given, or kept for another u when the server could not be reached (it had
    // been lost); any other failure (the rating gone already) leaves it off.
    if (!undone && (error.status === 401 || error.status === undefined)) state.given.push(last);
    if (error.status !== 401) state.pendingWrite = null;
    toast(t("failed", error.message));
  }
}

// ---- search and more-like-this

// A paper rated from search teaches the radar picked on the Radar tab: the search tab says which.
function renderRatesFor() {
  const note = $("rates-for");
  note.hidden = !state.radar;
  note.textContent = state.radar ? t("ratesFor", state.radar) : "";
}

// `replace`: the address is being followed (a reload, Back), not moved on from.
async function runSearch(offset = 0, replace = false) {
  state.asked.restore++;  // an address still being followed gives way to this
  const form = new FormData($("search-form"));
  const params = new URLSearchParams();
  for (const [name, value] of form) if (String(value).trim()) params.set(name, String(value).trim());
  // Words or a filter (a filter alone lists its papers, newest first); the mode alone is no search.
  if (![...params.keys()].some(name => name !== "mode")) { clearResults(null); setNote("results-note", t("needQuery")); $("q").focus(); return; }
  params.set("offset", offset);
  remember("#search?" + params, replace);
  params.set("limit", PAGE);
  state.search = params;
  state.similar = null;
  const asked = ++state.asked.results;
  setNote("results-note", t("working"));
  try {
    const results = await api(`/api/search?${params}`);
    if (asked !== state.asked.results) return;
    state.resultsError = null;
    state.results = results;
    state.resultsTitle = null;
    if (state.briefSource === "results" && state.handle.results !== results.handle) closeBriefing();
    state.handle.results = results.handle;
    renderResults();
  } catch (error) { if (asked === state.asked.results) clearResults(error); }
}

// A failed search or more-like-this leaves nothing behind to page or to brief.
function clearResults(error) {
  state.results = null;
  state.handle.results = null;
  state.resultsError = error?.message ?? null;
  if (error) setNote("results-note", t("failed", error.message), true);
  $("results").replaceChildren();
  $("results-brief").hidden = true;
  setPager(null);
}

async function moreLike(paper, offset = 0, replace = false) {
  state.asked.restore++;
  showTab("search");
  setNote("results-note", t("working"));
  $("q").value = "";  // the words of an earlier search are not what these results answer
  state.search = null;
  state.similar = paper;
  remember("#similar?" + new URLSearchParams({ key: paper.key, offset }), replace);
  const asked = ++state.asked.results;
  try {
    const results = await api(`/api/papers/${encodeURIComponent(paper.key)}/similar?limit=${PAGE}&offset=${offset}`);
    if (asked !== state.asked.results) return;
    state.resultsError = null;
    state.results = results;
    state.resultsTitle = paper.title;
    if (state.briefSource === "results" && state.handle.results !== results.handle) closeBriefing();
    state.handle.results = results.handle;
    renderResults();
    // Focus on the first of them, the note above ("More like …") kept in sight.
    $("results").firstElementChild?.focus({ preventScroll: true });
    $("results-note").scrollIntoView({ block: "nearest" });
  } catch (error) { if (asked === state.asked.results) clearResults(error); }
}

function renderResults() {
  const r = state.results;
  if (!r) { if (state.resultsError) setNote("results-note", t("failed", state.resultsError), true); return; }
  const first = r.offset + 1, last = r.offset + r.results.length;
  // A hybrid search no paper matched by its words comes back as the meaning list alone (mode semantic).
  const byMeaning = state.search && state.search.get("mode") !== "semantic" && r.mode === "semantic" && r.results.length;
  // A query the embedding model reads too little of (Chinese, for an English model) is ranked by TF-IDF
  // cosine in its place: its hits carry a tfidf score, not a semantic one.
  const byTerms = state.search && r.results.some(hit => hit.scores && "tfidf" in hit.scores);
  const head = state.resultsTitle ? t("moreLike", readableTeX(state.resultsTitle)) + " · "
    : byTerms ? t("byTerms") + " · "
    : byMeaning ? t((r.notices || []).some(n => n.kind === "filtered") ? "byMeaningKept" : "byMeaning") + " · " : "";
  // What the list cannot show (a date filter's undated papers, papers without a vector), in the page's language.
  // (A kind this page does not know is shown as the server says it.)
  const notices = (r.notices || []).map(n => {
    const key = "notice" + n.kind[0].toUpperCase() + n.kind.slice(1);
    return " · " + (key in TEXT.en ? t(key, number(n.count), r.mode === "semantic") : n.message);
  }).join("");
  // A page past the last (an old link, a library that shrank) says how many there are; Previous leads back.
  setNote("results-note", head + (r.results.length ? t("results", number(r.total), number(first), number(last))
    : r.total > 0 ? t("pastLast", number(r.total)) : t("noResults")) + notices);
  $("results").replaceChildren(...r.results.map(hit => card(hit, hit.rank, { html: true })));
  $("results-brief").hidden = !r.results.length;
  setPager(r);
}

function setPager(r) {
  const pages = r ? Math.max(1, Math.ceil(r.total / PAGE)) : 0;
  // Past the last page, Previous goes to the last (and the page number says no more than there are).
  const page = r ? Math.min(Math.floor(r.offset / PAGE) + 1, pages + 1) : 0;
  $("prev").hidden = !r || page <= 1;
  $("next").hidden = !r || page >= pages;
  $("page").textContent = r && pages > 1 ? t("page", number(page), number(pages)) : "";
}

// ---- briefings

// In the page's language, unless the panel's own menu asks for the other.
async function brief(which, language = state.lang) {
  // A list of rated papers has no handle: its papers are named (the first 200, a briefing's most).
  const named = which === "feed" && state.feed?.list ? state.feed.items.slice(0, 200).map(item => item.key) : null;
  const handle = state.handle[which];
  if (!(named || handle) || !(which === "feed" ? state.feed?.items.length : state.results?.results.length)) { toast(t("nothingToBrief")); return; }
  if (state.briefSource === null) state.returnFocus = document.activeElement;
  state.briefSource = which;
  const panel = $("briefing");
  panel.hidden = false;
  $("brief-lang").value = language;
  $("briefing-body").replaceChildren();
  $("briefing-note").textContent = t("writing");
  panel.scrollIntoView({ block: "start" });
  try {
    state.pendingWrite = () => brief(which, language);
    const b = await api("/api/briefings", { ...(named ? { papers: named, limit: named.length } : { handle }), language: $("brief-lang").value });
    state.pendingWrite = null;
    state.briefing = b;
    renderBriefingNote();
    $("briefing-body").innerHTML = markdown(b.markdown || "");
    panel.focus();
  } catch (error) { state.briefing = null; setFailedNote("briefing-note", error.message); }
}

function renderBriefingNote() {
  const b = state.briefing;
  if (b && !$("briefing").hidden) setNote("briefing-note", t("briefNote", number(b.papers.length), t("provider")[b.provider] || b.provider || ""));
}

// ---- language, tabs, keys

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  // A delete waiting for its second click still says so, in the new language (it had read as a plain Delete
  // that one click carried out).
  const armed = $("delete-radar").dataset.armed;
  if (armed) $("delete-radar").textContent = t("deleteAgain", armed);
  renderRatesFor();
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  document.title = `AcademicHub · ${t("tagline")}`;
  renderFeed();
  renderResults();
  renderBriefingNote();
  for (const [id, message] of Object.entries(state.failedNotes)) setFailedNote(id, message);
  loadStats();
}

async function loadStats() {
  // A count the server cannot give now is not shown (an old one, in the other language, would pass for it).
  state.statsFailed = false;
  try { const s = await api("/api/stats"); $("stats").textContent = t("papers", number(s.papers)); }
  catch { $("stats").textContent = ""; state.statsFailed = true; }
}

const TABS = ["radar", "search"];

// The tabs as WAI-ARIA's tabs pattern has them: one stop for Tab (the selected tab), the arrow keys, Home
// and End move between them and show the one reached.
function showTab(name, focus = false) {
  for (const tab of TABS) {
    $(`view-${tab}`).hidden = tab !== name;
    $(`tab-${tab}`).setAttribute("aria-selected", String(tab === name));
    $(`tab-${tab}`).tabIndex = tab === name ? 0 : -1;
  }
  // A briefing is of its tab's list: a search's is not shown under the radar's feed (it comes back with its tab).
  if (state.briefSource) $("briefing").hidden = (state.briefSource === "feed") !== (name === "radar");
  if (focus) $(`tab-${name}`).focus();
}

// A tab the user picks is kept in the address too (the search tab with what it shows, the radar tab with
// the radar and the list).
function switchTab(name, focus = false) {
  showTab(name, focus);
  remember(name === "radar" ? radarHash() : state.searchHash || "#search");
}

// The radar tab's address: the radar picked and, other than its feed, the list shown (#radar?name=…&list=saved).
function radarHash() {
  if (!state.radar) return "#radar";
  const params = new URLSearchParams({ name: state.radar });
  if (state.list !== "feed") params.set("list", state.list);
  return "#radar?" + params;
}

// The list shown in the feed's place (the feed, or the papers saved, liked or rated).
const LISTS = ["feed", "save", "like", "rated"];
function setList(list) {
  state.list = list;
  $("list").value = list;
  // The window and "also rated or seen" choose among the feed's papers, not among those rated.
  $("window").disabled = $("show-rated").disabled = list !== "feed";
}

// ---- the address: the tab and the search on screen (#search?q=…&mode=…&offset=N, #similar?key=…) or the
// radar and its list (#radar?name=…&list=…), so a reload, a bookmark or a link shows them again and Back
// goes to what was on screen before

// A new entry of the history, or the current one written as the page writes it (a hand-written link, an
// address followed by Back: a new entry there would leave no way back past it).
function remember(hash, replace = false) {
  if (!hash.startsWith("#radar")) state.searchHash = hash;
  if (location.hash !== hash) history[replace ? "replaceState" : "pushState"](null, "", hash);
}

async function restore() {
  const [view, query = ""] = location.hash.slice(1).split(/\?(.*)/s);
  if (!["", "radar", "search", "similar"].includes(view)) return;  // #main: the skip link's, not a view
  const asked = ++state.asked.restore;
  const params = new URLSearchParams(query);
  const offset = Math.max(0, Math.floor(Number(params.get("offset")) || 0));
  if (view === "search" && query) {
    const form = $("search-form");
    for (const name of ["q", "mode", "source", "category", "after", "before"]) form.elements[name].value = params.get(name) || "";
    form.querySelector(".filters").open = ["source", "category", "after", "before"].some(name => params.get(name));
    showTab("search");
    await runSearch(offset, true);
  } else if (view === "similar" && params.get("key")) {
    const key = params.get("key");
    // The title for the note ("More like …"); the key when the paper cannot be read.
    const paper = await api(`/api/papers/${encodeURIComponent(key)}`).then(p => p.paper, () => ({ key, title: key }));
    if (asked === state.asked.restore) await moreLike(paper, offset, true);
  } else if (view === "radar" && query) {
    showTab("radar");
    // A radar this library lacks (deleted, a link from another library) leaves the one shown, and the address
    // says which that is.
    const name = params.get("name"), list = params.get("list") || "feed";
    const radar = [...$("radar-picker").options].some(o => o.value === name) ? name : state.radar;
    const shown = LISTS.includes(list) ? list : state.list;
    if (radar !== state.radar || shown !== state.list) {
      if (state.briefSource === "feed") closeBriefing();
      state.radar = radar;
      $("radar-picker").value = radar;
      localStorage.setItem("ahub.radar", radar);
      renderRatesFor();
      setList(shown);
      state.feedLimit = PAGE;
      await loadFeed();
      if (asked !== state.asked.restore) return;  // the address moved on meanwhile (Back again)
    }
    remember(radarHash(), true);
  } else {
    showTab(view === "search" ? "search" : "radar");
  }
}

function tabKeys(event) {
  const at = TABS.findIndex(tab => $(`tab-${tab}`) === document.activeElement);
  if (at < 0) return;
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  switchTab(TABS[(next + TABS.length) % TABS.length], true);
}

function closeBriefing() {
  $("briefing").hidden = true;
  state.briefSource = null;
  const back = state.returnFocus;
  state.returnFocus = null;
  if (back?.isConnected && back !== document.body) back.focus();
}

function currentCards() {
  return [...document.querySelectorAll($("view-radar").hidden ? "#results .card" : "#feed .card")];
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
  if (event.key === "Escape") { if (!$("briefing").hidden) closeBriefing(); else if (typing) event.target.blur(); return; }
  if (typing) return;
  const cards = currentCards();
  const current = event.target.closest?.(".card");
  const index = current ? cards.indexOf(current) : -1;
  const press = signal => current?.querySelector(`[data-signal="${signal}"]`)?.click();
  switch (event.key) {
    case "/": event.preventDefault(); switchTab("search"); $("q").focus(); break;
    case "j": event.preventDefault(); cards[Math.min(index + 1, cards.length - 1)]?.focus(); break;
    case "k": event.preventDefault(); cards[Math.max(index - 1, 0)]?.focus(); break;
    case "l": press("like"); break;
    case "d": press("dislike"); break;
    case "s": press("save"); break;
    case "h": press("hide"); break;
    case "u": undoLast(); break;
    case "m": current?.querySelector(".more")?.click(); break;
    case "e": current?.querySelector(".abstract")?.click(); break;
    case "o": case "Enter": {
      // Enter on a card (not on one of its buttons or links, which do their own) opens it, as o does.
      if (event.key === "Enter" && event.target !== current) return;
      const a = current?.querySelector("h3 a"); if (a) window.open(a.href, "_blank", "noopener"); break;
    }
    case "b": brief($("view-radar").hidden ? "results" : "feed"); break;
    default: return;
  }
}

async function start() {
  $("window").value = state.window;
  // The radar and list an address names (a reload, a bookmark, a link) are the first shown; else the last
  // radar picked, and its feed (not what the browser kept of the menus before a reload).
  const [view, query = ""] = location.hash.slice(1).split(/\?(.*)/s);
  const named = new URLSearchParams(view === "radar" ? query : ""), picked = state.radar;
  if (named.get("name")) state.radar = named.get("name");
  setList(LISTS.includes(named.get("list")) ? named.get("list") : "feed");
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("ahub.lang", state.lang);
    applyLanguage();
  });
  document.querySelector(".tabs").addEventListener("keydown", tabKeys);
  $("tab-radar").addEventListener("click", () => switchTab("radar"));
  $("tab-search").addEventListener("click", () => switchTab("search"));
  window.addEventListener("popstate", restore);
  $("radar-picker").addEventListener("change", event => {
    if (state.briefSource === "feed") closeBriefing();  // it briefed the other radar's feed
    state.radar = event.target.value;
    renderRatesFor();
    state.feedLimit = PAGE;
    localStorage.setItem("ahub.radar", state.radar);
    remember(radarHash());
    loadFeed();
  });
  $("list").addEventListener("change", event => {
    if (state.briefSource === "feed") closeBriefing();
    setList(event.target.value);
    state.feedLimit = PAGE;
    remember(radarHash());
    loadFeed();
  });
  $("show-rated").addEventListener("change", event => {
    if (state.briefSource === "feed") closeBriefing();
    state.showRated = event.target.checked;
    state.feedLimit = PAGE;
    loadFeed();
  });
  $("window").addEventListener("change", event => {
    if (state.briefSource === "feed") closeBriefing();
    state.window = event.target.value;
    state.feedLimit = PAGE;
    localStorage.setItem("ahub.window", state.window);
    loadFeed();
  });
  // Rename or delete the radar picked. Deleting asks for a second click on the same radar within 5 s.
  $("rename-form").addEventListener("submit", async event => {
    event.preventDefault();
    const from = state.radar;
    if (!from) { toast(t("needRadar")); return; }
    setNote("manage-note", "");
    try {
      state.pendingWrite = null;
      const renamed = await api(`/api/radars/${encodeURIComponent(from)}`, { name: String(new FormData(event.target).get("name") || "").trim() }, "PATCH");
      state.radar = renamed.name;
      // The ratings u takes back, and a warning of its creation, go with it under the new name.
      for (const given of state.given) if (given.radar === from) given.radar = renamed.name;
      if (state.createWarnings?.radar === from) state.createWarnings.radar = renamed.name;
      localStorage.setItem("ahub.radar", state.radar);
      event.target.reset();
      toast(t("renamed", from, renamed.name));
      await loadRadars();
      await loadFeed();
    } catch (error) {
      setFailedNote("manage-note", error.message);
      if (error.status === 401) state.pendingWrite = () => event.target.requestSubmit();
    }
  });
  $("delete-radar").addEventListener("click", async event => {
    const button = event.currentTarget, name = state.radar;
    if (!name) { toast(t("needRadar")); return; }
    clearTimeout(button.timer);
    if (button.dataset.armed !== name) {
      button.dataset.armed = name;
      button.textContent = t("deleteAgain", name);
      button.timer = setTimeout(() => { delete button.dataset.armed; button.textContent = t("deleteRadar"); }, 5000);
      return;
    }
    delete button.dataset.armed;
    button.textContent = t("deleteRadar");
    setNote("manage-note", "");
    try {
      state.pendingWrite = null;
      await api(`/api/radars/${encodeURIComponent(name)}`, undefined, "DELETE");
      if (state.briefSource === "feed") closeBriefing();
      toast(t("deleted", name));
      if (state.createWarnings?.radar === name) state.createWarnings = null;
      state.given = state.given.filter(given => given.radar !== name);
      localStorage.removeItem("ahub.radar");
      state.radar = "";
      state.feedLimit = PAGE;
      await loadRadars();
      await loadFeed();
    } catch (error) {
      setFailedNote("manage-note", error.message);
      // Asked again once the token is given, as the second click had asked it.
      if (error.status === 401) state.pendingWrite = () => { button.dataset.armed = name; button.click(); };
    }
  });
  $("radar-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = new FormData(event.target);
    const list = name => String(form.get(name) || "").split(/[,，]/).map(s => s.trim()).filter(Boolean);
    const body = { name: String(form.get("name")).trim(), description: String(form.get("description") || ""), keywords: list("keywords"), categories: list("categories") };
    setNote("radar-form-note", "");  // an earlier attempt's error is not this one's
    if (!body.description.trim() && !body.keywords.length) {
      toast(t("needDescription"));
      event.target.elements.description.focus();
      return;
    }
    try {
      state.pendingWrite = null;
      setNote("radar-form-note", "");
      const created = await api("/api/radars", body);
      state.radar = created.name;
      state.feedLimit = PAGE;
      // What the server warns of (a category or source no paper has: often a typo) stays with the feed,
      // said in the page's language when it is drawn.
      state.createWarnings = created.warnings?.length ? { radar: created.name, warnings: created.warnings } : null;
      localStorage.setItem("ahub.radar", state.radar);
      remember(radarHash());
      event.target.reset();
      toast(t("created", created.name));
      await loadRadars();
      await loadFeed();
      // The form has closed: the new feed is where the keys go on (its note when it has no card).
      ($("feed").firstElementChild || $("feed-note")).focus();
    } catch (error) {
      setFailedNote("radar-form-note", error.message);
      // Refused for want of the token: sent again once it is given (the form keeps what was typed).
      if (error.status === 401) state.pendingWrite = () => event.target.requestSubmit();
    }
  });
  $("search-form").addEventListener("submit", event => { event.preventDefault(); runSearch(0); });
  // A new page is read from its first result (focused, so the keys and Tab go on from there).
  const turn = async step => {
    const r = state.results;
    // From a page past the last, Previous goes to the last.
    const lastPage = r && r.total > 0 ? Math.floor((r.total - 1) / PAGE) * PAGE : 0;
    const offset = Math.max(0, step < 0 && r && r.offset > lastPage ? lastPage : (r?.offset || 0) + step);
    if (state.search) await runSearch(offset); else if (state.similar) await moreLike(state.similar, offset);
    $("results").firstElementChild?.focus();
  };
  $("prev").addEventListener("click", () => turn(-PAGE));
  $("next").addEventListener("click", () => turn(PAGE));
  $("feed-more").addEventListener("click", async () => {
    const next = $("feed").children.length;
    // A feed is ranked afresh up to 200 (the API's most); a list of rated papers is read on to its end.
    state.feedLimit = Math.min(state.feedLimit + PAGE, state.list === "feed" ? 200 : 10_000);
    await loadFeed(true);
    $("feed").children[next]?.focus();
  });
  $("feed-brief").addEventListener("click", () => brief("feed"));
  $("results-brief").addEventListener("click", () => brief("results"));
  $("brief-lang").addEventListener("change", () => state.briefSource && brief(state.briefSource, $("brief-lang").value));
  $("brief-close").addEventListener("click", closeBriefing);
  $("token-form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem("ahub.token", $("token").value);
    $("token-form").hidden = true;
    // A write refused for want of it is sent again at once; otherwise the user does it again.
    toast(t(state.pendingWrite ? "tokenSavedSending" : "tokenSaved"));
    state.pendingWrite?.();
  });
  document.addEventListener("keydown", onKey);
  // "Skip to the papers": to the first paper of the tab shown, past its menus and forms (its note when it
  // has none); without the page's script the link goes to <main>.
  $("skip").addEventListener("click", event => {
    event.preventDefault();
    const onRadar = !$("view-radar").hidden;
    (currentCards()[0] || $(onRadar ? "feed-note" : "results-note")).focus();
  });
  showTab("radar");
  applyLanguage();
  try {
    const radars = await loadRadars();
    // A radar the address names that the library lacks leaves the one picked last.
    if (named.get("name") && state.radar !== named.get("name") && radars.some(r => r.name === picked)) {
      state.radar = $("radar-picker").value = picked;
      renderRatesFor();
    }
    await loadFeed();
  } catch (error) { $("feed-note").textContent = t("failed", error.message); }
  // The search the address holds (a reload, a bookmark, a link).
  if (location.hash) await restore();
  document.body.dataset.ready = "true";
}

start();
