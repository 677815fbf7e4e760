#!/usr/bin/env python3
"""The web page in a real browser: headless Chromium, driven over the DevTools protocol on a pipe (no
driver, no Python package), against `ahub serve` on a library of the fixtures.

Usage: scripts/browser_test.py AHUB_BINARY LIBRARY ARTIFACTS_DIR
Loads the page, searches and pages, likes a paper and sees the feed change, works a card with the keyboard,
switches to 中文 (and finds it remembered), opens a briefing, asks for more like this, and reads the page at
phone width; a screenshot of each step goes to ARTIFACTS_DIR. Exits non-zero at the first failed check.
"""
import base64
import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ahub, library, artifacts = sys.argv[1:4]
os.makedirs(artifacts, exist_ok=True)


def fail(message):
    print(f"browser-test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


# ---- the server, on a free port (and later a second one that asks a token for writes)

def start_server(token=None):
    environment = {k: v for k, v in os.environ.items() if k != "AHUB_TOKEN"}
    if token:
        environment["AHUB_TOKEN"] = token
    process = subprocess.Popen([ahub, "serve", "--library", library, "--port", "0", "--no-refresh"],
                               stdout=subprocess.PIPE, text=True, env=environment)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        fail(f"the server did not print its URL: {line!r}")
    return process, f"http://127.0.0.1:{match.group(1)}"


server, base = start_server()
guarded = None
print(f"browser-test: server at {base}")


def get(path, at=None):
    with urllib.request.urlopen((at or base) + path) as response:
        return json.load(response)


# ---- the browser, over --remote-debugging-pipe (fd 3: commands in, fd 4: answers out)

profile = tempfile.mkdtemp(prefix="ahub-chromium-")
to_browser_read, to_browser_write = os.pipe()
from_browser_read, from_browser_write = os.pipe()


def plumb():
    # Move both ends above 3 and 4 first, so that neither is overwritten by the other's dup2.
    high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
    high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
    os.dup2(high_read, 3)
    os.dup2(high_write, 4)


browser = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
     f"--user-data-dir={profile}", "--lang=en-US", "about:blank"],
    preexec_fn=plumb, close_fds=False,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_browser_read)
os.close(from_browser_write)
pending = b""
next_id = 0
events = []


def send(method, params=None, session=None):
    global next_id, pending
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_browser_write, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in pending:
            chunk = os.read(from_browser_read, 1 << 20)
            if not chunk:
                fail("the browser closed")
            pending += chunk
        raw, pending = pending.split(b"\0", 1)
        answer = json.loads(raw)
        if answer.get("id") == next_id:
            if "error" in answer:
                fail(f"{method}: {answer['error']}")
            return answer.get("result", {})
        events.append(answer)


target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]


def page(method, params=None):
    return send(method, params, session)


page("Page.enable")
page("Runtime.enable")
page("Log.enable")


def js(expression):
    result = page("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True})
    if "exceptionDetails" in result:
        fail(f"{expression}: {result['exceptionDetails'].get('exception', {}).get('description', result['exceptionDetails'])}")
    return result["result"].get("value")


def wait(expression, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if js(expression):
            return
        time.sleep(0.1)
    shot("failed")
    notes = js("[...document.querySelectorAll('.note')].map(n => n.textContent).join(' | ')")
    fail(f"timed out waiting for {what} (the page says: {notes})")


step = 0


def shot(name):
    global step
    step += 1
    data = page("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
    path = os.path.join(artifacts, f"{step:02d}-{name}.png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    print(f"browser-test: {path}")


def key(k):
    page("Input.dispatchKeyEvent", {"type": "keyDown", "key": k, "text": k, "unmodifiedText": k})
    page("Input.dispatchKeyEvent", {"type": "keyUp", "key": k})


def arrow(name, code):
    for kind in ("rawKeyDown", "keyUp"):
        page("Input.dispatchKeyEvent", {"type": kind, "key": name, "code": name, "windowsVirtualKeyCode": code})


def check(condition, message):
    if not condition:
        fail(message)
    print(f"browser-test: ok: {message}")


def mouse_click(selector, count):
    """A real mouse click (pressed, released) at the middle of the element, the count-th of a quick series."""
    x, y = js(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
              " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    for kind in ("mousePressed", "mouseReleased"):
        page("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": count})


def feed_keys():
    return js("[...document.querySelectorAll('#feed .card')].map(c => c.dataset.key)")


try:
    page("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    page("Page.navigate", {"url": base + "/"})
    wait("document.body && document.body.dataset.ready === 'true'", "the page to load")
    wait("document.querySelectorAll('#feed .card').length > 0", "the radar's feed")
    first_feed = feed_keys()
    check(len(first_feed) == 10, f"the feed shows 10 numbered cards ({len(first_feed)})")
    check(js("document.querySelector('#feed .card').dataset.rank") == "1", "cards are numbered from 1")
    check(js("!!document.querySelector('#feed .card .reasons')"), "each card says why it is there")
    check(js("document.querySelector('#feed .card .meta').textContent").find("(") > 0, "source (category) on the card")
    # The fixtures are older than today: the note says how old the newest paper is, then shows any date.
    note = js("document.getElementById('feed-note').textContent")
    check(re.match(r"No paper is dated in this window \(the newest is from \d+ \w+ 20\d\d\); showing papers from any date\.", note),
          f"the empty window's note names the newest day ({note})")
    shot("feed")

    # LaTeX from real abstracts (Fixtures/arxiv-api) made readable; dollars that are money left alone.
    for tex, readable in [("$128\\times 128$", "128× 128"), ("$M = O(K^2\\log{(N/K)}/p^3)$", "M = O(K²log(N/K)/p³)"),
                          ("$0 \\le \\alpha, \\beta\\le 1/8$", "0 ≤ α, β≤ 1/8"), ("costs $10 and $20", "costs $10 and $20"),
                          ("$\\tilde{O}(\\varepsilon^{-2})$", "Õ(ε⁻²)"), ("over $\\{1, \\dots, n\\}$", "over {1, …, n}"),
                          ("\\[ \\left(\\frac{\\sqrt{n}}{\\varepsilon_2^{2}}\\right) \\]", "(√n/ε₂²)"), ("i.i.d.\\ samples", "i.i.d. samples"),
                          ("$f\\colon\\mathbb R^n\\to\\mathbb R$", "f:ℝⁿ→ℝ"), ("$\\mathbf{x}\\in\\mathbb R^n$", "x∈ℝⁿ"),
                          ("$\\nabla f(\\mathbf{x})/\\|\\nabla f(\\mathbf{x})\\|$", "∇ f(x)/‖∇ f(x)‖"),
                          ("$\\mathbf\\theta \\in \\Theta\\subset \\ell_2$", "θ ∈ Θ⊂ ℓ₂"), ("$\\tilde \\Theta(n)$", "Θ̃(n)")]:
        got = js(f"readableTeX({json.dumps(tex)})")
        check(got == readable, f"LaTeX {tex} reads {got}")

    # Search, highlighted, and paging.
    js("document.getElementById('tab-search').click()")
    js("document.getElementById('q').focus()")
    page("Input.insertText", {"text": "language model"})
    js("document.getElementById('mode').value = 'keyword'")
    js("document.getElementById('search-form').requestSubmit()")
    wait("document.querySelectorAll('#results .card').length > 0", "search results")
    check(js("document.querySelectorAll('#results mark').length") > 0, "matches are highlighted")
    check("“demo”" in js("document.getElementById('rates-for').textContent"), "the search tab names the radar its ratings teach")
    # A search's briefing is not shown under the radar's feed; it is back with the search tab.
    js("document.getElementById('results-brief').click()")
    wait("!document.getElementById('briefing').hidden && !!document.querySelector('#briefing-body h3')", "the search's briefing", seconds=60)
    js("document.getElementById('tab-radar').click()")
    check(js("document.getElementById('briefing').hidden"), "the search's briefing is hidden on the radar tab")
    js("document.getElementById('tab-search').click()")
    check(not js("document.getElementById('briefing').hidden"), "and shown again on the search tab")
    js("document.getElementById('brief-close').click()")
    total = get("/api/search?q=language%20model&mode=keyword&limit=1")["total"]
    check(js("document.getElementById('results-note').textContent").replace(",", "").find(str(total)) >= 0,
          f"the result count ({total}) is shown")
    shot("search")
    if total > 10:
        js("document.getElementById('next').click()")
        wait("document.querySelector('#results .card')?.dataset.rank === '11'", "the second page")
        wait("document.activeElement?.dataset?.rank === '11'", "the second page read from its first result")
        shot("search-page-2")

    # Highlighted results read their LaTeX too (Fixtures/arxiv-api: tolerant distribution testing).
    js("document.getElementById('q').value = 'tolerant distribution testing'")
    js("document.getElementById('search-form').requestSubmit()")
    wait("document.querySelector('#results-note').textContent.includes('1–')", "the LaTeX search")
    results_text = js("document.getElementById('results').textContent")
    check("\\varepsilon" not in results_text and "ε" in results_text, "LaTeX in highlighted results is made readable")
    # The address keeps the search: a reload shows it again, Back the page of results before it.
    check(js("location.hash").startswith("#search?q=tolerant+distribution+testing"), f"the address holds the search ({js('location.hash')})")
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#results .card').length > 0",
         "the search after a reload")
    check(js("document.getElementById('q').value") == "tolerant distribution testing" and js("!document.getElementById('view-search').hidden")
          and js("document.getElementById('mode').value") == "keyword", "a reload shows the search again, its mode too")
    if total > 10:
        js("history.back()")
        wait("document.querySelector('#results .card')?.dataset.rank === '11' && document.getElementById('q').value === 'language model'",
             "Back to the second page of the search before")
        check("offset=10" in js("location.hash"), "Back goes to the page before, the address with it")

    # A failed search leaves nothing to brief.
    js("document.getElementById('q').value = '\"unbalanced'")
    js("document.getElementById('search-form').requestSubmit()")
    wait("document.querySelectorAll('#results .card').length === 0", "the failed search")
    check(js("document.getElementById('results-brief').hidden") and "never closed" in js("document.getElementById('results-note').textContent"),
          "a failed search says why and hides the briefing button")

    # A query the embedding model cannot read (Chinese, for the English model) is ranked by its words
    # (TF-IDF cosine), and the page says so.
    js("document.getElementById('mode').value = 'semantic'")
    js("document.getElementById('q').value = '抗高血压药'")
    js("document.getElementById('search-form').requestSubmit()")
    wait("document.querySelectorAll('#results .card').length > 0", "the Chinese search in semantic mode")
    note = js("document.getElementById('results-note').textContent")
    check(note.startswith("The meaning model cannot read this query's language, so its words rank the papers · "),
          f"the page says the words ranked the Chinese query ({note})")
    check(all("tfidf" in hit["scores"] for hit in get("/api/search?q=%E6%8A%97%E9%AB%98%E8%A1%80%E5%8E%8B%E8%8D%AF&mode=semantic")["results"]),
          "the API's hits carry the TF-IDF score")
    js("document.getElementById('mode').value = ''")

    # Ten more papers of the feed.
    js("document.getElementById('tab-radar').click()")
    check(not js("document.getElementById('feed-more').hidden"), "the feed offers more")
    js("document.getElementById('feed-more').click()")
    wait("document.querySelectorAll('#feed .card').length === 20", "twenty papers in the feed")
    check(feed_keys()[:10] == first_feed, "the first ten stay as they were")

    # Like a paper and see the feed change.
    liked = first_feed[0]
    js("document.querySelector('#feed .card .like').click()")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(liked)})",
         "the liked paper to leave the feed")
    after = feed_keys()
    check(after != first_feed and liked not in after, "the feed changed after a like")
    radar = get("/api/radars")["radars"][0]
    check(radar["feedback"].get("like") == 1, "the like is stored")
    # A resemblance names its scale: "(words 0.31)" or "(meaning 0.52)".
    api_feed = get("/api/radars/demo/feed?any-date=true&limit=10")["items"]
    resembling = [i["key"] for i in api_feed if i["resembles"]]
    check(resembling, "after a like, some paper of the feed resembles the liked one")
    text = js(f"[...document.querySelectorAll('#feed .card')].find(c => c.dataset.key === {json.dumps(resembling[0] if resembling else '')})"
              "?.querySelector('.reasons')?.textContent || ''")
    check(re.search(r"Resembles: .*\((words|meaning) \d", text) is not None, f"a resemblance says its scale ({text})")
    shot("liked")

    # The keyboard alone: j moves to the next card, d dislikes it.
    js("document.querySelector('#feed .card').focus()")
    key("j")
    second = js("document.activeElement?.dataset.key")
    check(second == after[1], "j moves to the next card")
    key("d")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(second)})",
         "the disliked paper to leave the feed")
    check(get("/api/radars")["radars"][0]["feedback"].get("dislike") == 1, "d dislikes the focused card")
    # A quick double click on Hide hides one paper: the card redrawn under the pointer does not take the second.
    js("document.querySelector('#feed .card .hide').scrollIntoView({block: 'center'})")
    hidden_key = js("document.querySelector('#feed .card').dataset.key")
    time.sleep(0.6)  # the cards were drawn just now (the dislike above): a click this soon is held back
    mouse_click("#feed .card .hide", 1)
    wait(f"document.querySelector('#feed .card')?.dataset.key !== {json.dumps(hidden_key)}", "the hidden paper to leave the feed")
    mouse_click("#feed .card .hide", 2)
    time.sleep(1)
    check(get("/api/radars")["radars"][0]["feedback"].get("hide") == 1, "a double click on Hide hides one paper, not the next one too")
    js("document.querySelector('#feed .card').focus()")
    key("e")
    check(not js("document.querySelector('#feed .card .abstract').classList.contains('clamped')"), "e shows the whole abstract")
    check(js("document.querySelector('#feed .card .abstract').getAttribute('aria-expanded')") == "true", "and says it is open")
    check(js("""(() => { const c = document.querySelector('#feed .card');
        return document.getElementById(c.getAttribute('aria-labelledby')).textContent === c.querySelector('h3').textContent
          && c.querySelector('.like').getAttribute('aria-describedby') === c.getAttribute('aria-labelledby')
          && (!c.querySelector('.reasons') || c.getAttribute('aria-describedby') === c.querySelector('.reasons').id); })()"""),
          "a card is named by its title and described by its reasons; its buttons name their paper")
    # Papers rated are found again with "also papers rated or seen", their button pressed, as the API says.
    js("document.getElementById('show-rated').click()")
    wait(f"[...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(liked)})",
         "the liked paper back among the rated ones")
    check(js(f"[...document.querySelectorAll('#feed .card')].find(c => c.dataset.key === {json.dumps(liked)})"
             ".querySelector('.like').getAttribute('aria-pressed')") == "true", "the liked paper's like is pressed")
    shot("rated-shown")
    js("document.getElementById('show-rated').click()")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(liked)})",
         "the rated papers left out again")
    # The papers rated on the radar, the latest first, in the feed's place: liked, then every one; a paper
    # saved from there moves to the top of the list and is then the saved list.
    def show_list(value):
        js(f"(() => {{ const s = document.getElementById('list'); s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); }})()")
    show_list("like")
    wait("document.querySelectorAll('#feed .card').length === 1", "the liked papers")
    check(feed_keys() == [liked], "the liked list holds the liked paper")
    check(js("document.querySelector('#feed .card .like').getAttribute('aria-pressed')") == "true", "its like is pressed")
    note = js("document.getElementById('feed-note').textContent")
    check(note == "1 of 1 liked paper, the latest rated first", f"the list says what it holds ({note})")
    check(js("document.getElementById('window').disabled && document.getElementById('show-rated').disabled"),
          "the feed's window and 'also rated' are off while a rated list is shown")
    show_list("save")
    wait("document.getElementById('feed-note').textContent.startsWith('No paper saved')", "the empty saved list")
    check(js("document.querySelectorAll('#feed .card').length") == 0, "nothing saved yet")
    show_list("rated")
    wait("document.querySelectorAll('#feed .card').length === 3", "every rated paper")
    rated_list = feed_keys()
    check(rated_list[0] == hidden_key and rated_list[-1] == liked and second in rated_list,
          f"every rated paper, the latest first ({rated_list})")
    check(js("document.querySelector('#feed .card .meta').textContent").find("Hidden") > 0, "each says its rating and its day")
    js(f"[...document.querySelectorAll('#feed .card')].find(c => c.dataset.key === {json.dumps(liked)}).querySelector('.save').click()")
    wait(f"document.querySelector('#feed .card')?.dataset.key === {json.dumps(liked)}", "the saved paper at the top")
    check(js("document.querySelector('#feed .card .save').getAttribute('aria-pressed')") == "true", "its save is pressed")
    show_list("save")
    wait(f"document.querySelectorAll('#feed .card').length === 1", "the saved list")
    check(feed_keys() == [liked], "the saved list holds the paper saved")
    # The address names the radar and the list: a reload shows the saved list again, Back the list before.
    check(js("location.hash") == "#radar?name=demo&list=save", f"the address names the radar and its list ({js('location.hash')})")
    js("document.body.dataset.ready = 'reloading'")
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && state.feed?.list === 'save' && document.querySelectorAll('#feed .card').length === 1",
         "the saved list after a reload")
    check(js("document.getElementById('list').value") == "save" and js("document.getElementById('window').disabled"),
          "a reload shows the saved list again, its menu with it")
    js("history.back()")
    wait("state.feed?.list === 'rated' && document.querySelectorAll('#feed .card').length === 3", "Back to every rated paper")
    check(js("document.getElementById('list').value") == "rated", "the menu follows Back")
    js("history.forward()")
    wait("state.feed?.list === 'save' && document.querySelectorAll('#feed .card').length === 1", "Forward to the saved list")
    rated_api = get(f"/api/radars/demo/rated?signal=save")
    check(rated_api["total"] == 1 and rated_api["papers"][0]["key"] == liked and rated_api["papers"][0]["abstract"],
          "the API's saved list agrees, with the paper's abstract")
    js("document.getElementById('feed-brief').click()")
    wait("!document.getElementById('briefing').hidden && !!document.querySelector('#briefing-body h3')", "the saved list's briefing", seconds=60)
    check(js("document.getElementById('briefing-note').textContent").startswith("1 paper ·"), "the briefing is of the saved paper")
    js("document.getElementById('brief-close').click()")
    shot("saved-list")
    # Save pressed again takes the save back: the paper leaves the saved list and is liked again, as before it.
    js("document.querySelector('#feed .card .save').click()")
    wait("document.getElementById('feed-note').textContent.startsWith('No paper saved')", "the saved list emptied by a second Save")
    check([p["key"] for p in get("/api/radars/demo/rated?signal=like")["papers"]] == [liked], "the paper taken back to its like")
    check("liked again" in js("document.getElementById('toast').textContent"), "the toast says it is liked again")
    show_list("feed")
    wait("document.querySelectorAll('#feed .card').length > 0 && !document.getElementById('window').disabled", "the feed again")
    # u takes back the last rating: a paper hidden by mistake is in the feed again.
    js("document.querySelector('#feed .card').focus()")
    mistaken = js("document.activeElement?.dataset.key")
    key("h")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(mistaken)})", "the paper hidden by mistake to leave")
    key("u")
    wait(f"[...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(mistaken)})", "u to bring it back")
    check(get("/api/radars")["radars"][0]["feedback"].get("hide") == 1, "u took the hide back (the earlier one stays)")
    check(js("document.activeElement?.dataset.key") == mistaken, "the paper brought back has the focus")
    # u again takes back the rating before: two papers hidden, two brought back, the latest first.
    js("document.querySelector('#feed .card').focus()")
    first = js("document.activeElement?.dataset.key")
    key("h")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(first)}) && document.activeElement?.classList.contains('card')",
         "the first paper hidden, the focus on the next")
    second_hidden = js("document.activeElement?.dataset.key")
    key("h")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(second_hidden)})", "the second paper hidden")
    check(get("/api/radars")["radars"][0]["feedback"].get("hide") == 3, "two more hides stored")
    key("u")
    wait(f"document.activeElement?.dataset.key === {json.dumps(second_hidden)}", "u to bring the second back")
    check(not any(c == first for c in feed_keys()), "the first stays hidden after one u")
    key("u")
    wait(f"document.activeElement?.dataset.key === {json.dumps(first)}", "u again to bring the first back")
    check(get("/api/radars")["radars"][0]["feedback"].get("hide") == 1, "two u's took two hides back")
    key("/")
    check(js("document.activeElement?.id") == "q", "/ goes to the search box")
    js("document.activeElement.blur()")
    # The tabs as WAI-ARIA has them: one Tab stop, the arrow keys move between them and show the one reached.
    js("document.getElementById('tab-radar').focus()")
    arrow("ArrowRight", 39)
    check(js("document.activeElement?.id") == "tab-search" and js("!document.getElementById('view-search').hidden"),
          "→ on the tabs shows Search")
    check(js("document.getElementById('tab-radar').tabIndex") == -1, "one Tab stop on the tabs: the selected one")
    arrow("ArrowRight", 39)
    check(js("document.activeElement?.id") == "tab-radar" and js("!document.getElementById('view-radar').hidden"),
          "→ from the last tab wraps to the first")
    # The skip link goes to the first paper, past the menus and forms.
    js("document.getElementById('skip').click()")
    check(js("document.activeElement === document.querySelector('#feed .card')"), "the skip link lands on the first paper of the feed")

    # 中文, remembered across a reload; dates in Chinese.
    js("document.getElementById('lang').click()")
    check(js("document.getElementById('tab-radar').textContent") == "雷达", "labels switch to 中文")
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#feed .card').length > 0",
         "the page to reload")
    check(js("document.documentElement.lang") == "zh-CN", "中文 is remembered")
    check(js("document.querySelector('.tagline').textContent") == "学术情报 · 每日精选", "the tagline in 中文")
    check("年" in (js("document.querySelector('#feed .card time')?.textContent") or ""), "dates in Chinese form")
    shot("zh")

    # A briefing of the feed, in the page's language.
    js("document.getElementById('feed-brief').click()")
    wait("!!document.querySelector('#briefing-body h3')", "the briefing", seconds=60)
    heading = js("document.querySelector('#briefing-body h3').textContent")
    check("简报" in heading or "文献" in heading, f"the briefing is rendered in 中文 ({heading})")
    check(js("document.querySelectorAll('#briefing-body li').length") > 0, "the briefing's Markdown lists are rendered")
    shot("briefing")
    # The panel's own language menu: English on a 中文 page.
    js("const s = document.getElementById('brief-lang'); s.value = 'en'; s.dispatchEvent(new Event('change'))")
    wait("document.querySelector('#briefing-body h3')?.textContent.includes('Cross-disciplinary')", "the English briefing", seconds=60)
    check(js("document.getElementById('brief-lang').value") == "en", "the briefing's language menu keeps its choice")
    js("document.getElementById('brief-close').click()")

    # More like this.
    js("document.querySelector('#feed .card .more').click()")
    wait("!document.getElementById('view-search').hidden && document.querySelectorAll('#results .card').length > 0",
         "more like this")
    shot("more-like-this")
    check(not js("document.getElementById('next').hidden"), "more like this has pages")
    js("document.getElementById('next').click()")
    wait("document.querySelector('#results .card')?.dataset.rank === '11'", "the second page of more like this")
    similar_note = js("document.getElementById('results-note').textContent")
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelector('#results .card')?.dataset.rank === '11'",
         "more like this after a reload")
    check(js("document.getElementById('results-note').textContent") == similar_note,
          f"a reload shows the same page of more like this, named by its paper ({similar_note})")

    # A new radar from the form: the server's warning of a category no paper has (often a typo) stays on the page.
    js("document.getElementById('tab-radar').click()")
    js("document.getElementById('new-radar').open = true")
    js("""(() => { const f = document.getElementById('radar-form');
        f.elements.name.value = 'typo'; f.elements.description.value = 'graph neural networks';
        f.elements.categories.value = 'cs.XX'; f.requestSubmit(); })()""")
    wait("document.getElementById('radar-picker').value === 'typo' && document.getElementById('feed-note').textContent.includes('cs.XX')",
         "the new radar with its warning")
    shot("created-with-warning")
    check(js("document.activeElement?.closest('#feed') !== null || document.activeElement?.id === 'feed-note'"),
          "after creating, the focus is on the new radar's feed")
    # A briefing of one radar's feed closes when another radar is picked (its language menu would brief the
    # other radar's feed in its place).
    js("document.getElementById('feed-brief').click()")
    wait("!document.getElementById('briefing').hidden && !!document.querySelector('#briefing-body h3')", "a briefing of typo's feed",
         seconds=60)
    js("(() => { const p = document.getElementById('radar-picker'); p.value = 'demo'; p.dispatchEvent(new Event('change')); })()")
    check(js("document.getElementById('briefing').hidden"), "another radar picked closes the briefing of the old one's feed")
    wait("state.feed?.radar === 'demo'", "demo's feed")
    js("(() => { const p = document.getElementById('radar-picker'); p.value = 'typo'; p.dispatchEvent(new Event('change')); })()")
    wait("state.feed?.radar === 'typo'", "typo's feed again")

    # A slow answer for a radar picked before does not overwrite the feed of the radar picked after, and a like
    # on the cards shown goes to the radar they are the feed of.
    js("""(() => { const real = window.fetch; window.fetch = (url, options) => {
        if (String(url).includes('/api/radars/demo/feed') && !window.heldOnce) {
          window.heldOnce = true;
          return new Promise(resolve => setTimeout(() => { window.heldAnswered = true; resolve(real(url, options)); }, 2000));
        }
        return real(url, options); }; })()""")
    js("const p = document.getElementById('radar-picker'); p.value = 'demo'; p.dispatchEvent(new Event('change'))")
    js("const q = document.getElementById('radar-picker'); q.value = 'typo'; q.dispatchEvent(new Event('change'))")
    wait("window.heldAnswered && document.querySelectorAll('#feed .card').length > 0", "the held answer for demo", seconds=60)
    time.sleep(0.5)  # its body read and handled (or dropped)
    typo_feed = js("[...document.querySelectorAll('#feed .card')].map(c => c.dataset.key)")
    check(typo_feed and js("document.getElementById('radar-picker').value") == "typo", "the held answer came late")
    check(js("state.feed.radar") == "typo"
          and typo_feed == [i["key"] for i in get("/api/radars/typo/feed?any-date=true&all=true&limit=%d" % len(typo_feed))["items"]],
          "the late answer for demo did not replace typo's feed")
    liked_typo = js("document.querySelector('#feed .card').dataset.key")
    demo_before = {r["name"]: r for r in get("/api/radars")["radars"]}["demo"]["feedback"]
    js("document.querySelector('#feed .card .like').click()")
    wait(f"![...document.querySelectorAll('#feed .card')].some(c => c.dataset.key === {json.dumps(liked_typo)})",
         "the paper liked on typo's feed to leave it")
    radars = {r["name"]: r for r in get("/api/radars")["radars"]}
    check(radars["typo"]["feedback"].get("like") == 1 and radars["demo"]["feedback"] == demo_before,
          f"the like went to the radar whose feed was shown ({ {n: r['feedback'] for n, r in radars.items()} })")
    request = urllib.request.Request(base + "/api/radars/typo", method="DELETE")
    with urllib.request.urlopen(request) as response:
        check(json.load(response) == {"deleted": "typo"}, "a radar is deleted over the API")
    js("document.body.dataset.ready = 'reloading'")  # so that the old page is not taken for the new one
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#feed .card').length > 0",
         "the page after the radar was deleted")
    check(js("document.getElementById('radar-picker').value") == "demo", "the page falls back to a radar still there")

    # Rename and delete from the page: a radar made by the form with a warning, renamed by the form (the warning
    # follows it), deleted by two clicks (the warning goes with it).
    js("document.getElementById('new-radar').open = true")
    js("""(() => { const f = document.getElementById('radar-form');
        f.elements.name.value = 'spare'; f.elements.description.value = 'graph neural networks';
        f.elements.categories.value = 'cs.YY, cs.ZZ'; f.requestSubmit(); })()""")
    wait("state.feed?.radar === 'spare' && document.getElementById('feed-note').textContent.includes('cs.ZZ')", "the spare radar's feed")
    note = js("document.getElementById('feed-note').textContent")
    check("资料库中还没有类别为 cs.YY 的论文；有了之后雷达会优先推荐。资料库中还没有类别为 cs.ZZ" in note,
          f"two warnings are two sentences, in Chinese on the 中文 page ({note})")
    js("document.getElementById('lang').click()")
    note = js("document.getElementById('feed-note').textContent")
    check(re.search(r"cs\.YY yet; the radar will favour it when one comes\. No paper", note), f"and in English on the English page ({note})")
    js("document.getElementById('lang').click()")
    js("document.getElementById('manage-radar').open = true")
    # A message of the server's said in Chinese on the 中文 page: a name that is taken.
    js("(() => { const f = document.getElementById('rename-form'); f.elements.name.value = 'DEMO'; f.requestSubmit(); })()")
    wait("document.getElementById('manage-note').textContent !== ''", "the rename refused")
    note = js("document.getElementById('manage-note').textContent")
    check(note == "失败：已有名为「demo」的雷达", f"the server's message in Chinese ({note})")
    # A form's failure is said again in the page's language when it changes (it had stayed in the one it came in).
    js("document.getElementById('lang').click()")
    note = js("document.getElementById('manage-note').textContent")
    check(note == "Failed: a radar named demo exists already", f"the form's failure in English after the switch ({note})")
    js("document.getElementById('lang').click()")
    check(js("document.getElementById('manage-note').textContent") == "失败：已有名为「demo」的雷达", "and in Chinese again")
    check(js("serverInChinese(TEXT.en.offline)") == js("TEXT.zh.offline"), "the server out of reach, said in Chinese")
    # Every message the page says in Chinese, as the server words it now (a reworded message would fall back to English).
    def server_message(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request)
        except urllib.error.HTTPError as error:
            return json.load(error)["error"]["message"]
        fail(f"{method} {path} did not fail")
    rated_on_demo = {p["key"] for p in get("/api/radars/demo/rated?limit=100")["papers"]}
    unrated_on_demo = next(hit["key"] for hit in get("/api/search?q=testing&limit=50")["results"] if hit["key"] not in rated_on_demo)
    for method, path, body in [
            ("GET", "/api/radars/nothing/feed", None), ("POST", "/api/radars", {"name": "demo", "description": "x"}),
            ("GET", "/api/papers/arxiv:0000.00000/similar", None), ("DELETE", "/api/radars/demo/feedback/arxiv:0000.00000", None),
            ("POST", "/api/radars/demo/feedback", {"paper": "arxiv:0000.00000", "signal": "like"}),
            ("DELETE", f"/api/radars/demo/feedback/{urllib.parse.quote(unrated_on_demo, safe='')}", None),
            ("POST", "/api/radars", {"name": "n", "description": ""}), ("POST", "/api/radars", {"name": "n", "description": "the of"}),
            ("POST", "/api/radars", {"name": "", "description": "x"}), ("POST", "/api/radars", {"name": "import", "description": "x"}),
            ("GET", "/api/search?q=%22x", None), ("GET", "/api/search?q=x%20OR", None), ("GET", "/api/search?q=-x", None),
            ("GET", "/api/search?q=the", None), ("GET", "/api/search?q=x%20after:2026-13-45", None),
            ("GET", "/api/search?q=x&after=2026-13", None), ("GET", "/api/search?q=x%20after:2026-05%20before:2026-01", None),
            ("GET", "/api/search?q=x&after=2026-05&before=2026-01", None), ("GET", "/api/search?q=cat:cs.LG%20OR%20cat:cs.AI", None),
            ("GET", "/api/search?q=x%20OR%20-source:arxiv", None), ("GET", "/api/search?q=x%20author:a%20OR%20author:b", None),
            ("GET", "/api/search?q=x%20after:2026-01%20OR%20before:2026-05", None),
            ("GET", "/api/search?q=x&source=arxiv%20biorxiv", None), ("GET", "/api/search?q=x%20source:biorxiv&source=arxiv", None),
            ("GET", "/api/search?q=x%20source:arxiv&source=arxiv&category=cs.LG%20x", None),
            ("POST", "/api/radars", {"name": "-bad", "description": "x"}), ("GET", "/api/search?q=" + "a" * 2001, None),
            ("GET", "/api/search?q=OR%20quantum", None), ("GET", "/api/search?q=a%20OR%20OR%20b", None),
            ("GET", "/api/search?q=quantum%20NOT", None), ("GET", "/api/search?q=cat:", None), ("GET", "/api/search?q=*", None),
            ("GET", "/api/search?q=te*st", None), ("GET", "/api/search?q=" + "x" * 300, None)]:
        message = server_message(method, path, body)
        said = js(f"serverInChinese({json.dumps(message)})")
        check(said != message and re.search(r"[\u4e00-\u9fff]", said), f"{method} {path}: {message!r} said in Chinese ({said})")
    js("(() => { const f = document.getElementById('rename-form'); f.elements.name.value = ' spare two '; f.requestSubmit(); })()")
    wait("state.feed?.radar === 'spare two' && document.getElementById('radar-picker').value === 'spare two'", "the renamed radar")
    check("「spare two」" in js("document.getElementById('feed-note').textContent"), "the warning follows the renamed radar (中文 here)")
    check("spare two" in [r["name"] for r in get("/api/radars")["radars"]], "the rename is stored")
    shot("renamed")
    js("document.getElementById('delete-radar').click()")
    check("spare two" in js("document.getElementById('delete-radar').textContent"), "deleting asks for a second click, naming the radar")
    check("spare two" in [r["name"] for r in get("/api/radars")["radars"]], "one click deletes nothing")
    js("document.getElementById('delete-radar').click()")
    wait("document.getElementById('radar-picker').value === 'demo' && state.feed?.radar === 'demo'", "the page back on demo")
    check("cs.ZZ" not in js("document.getElementById('feed-note').textContent"), "the deleted radar's warning is not shown on demo's feed")
    check([r["name"] for r in get("/api/radars")["radars"]] == ["demo"], "the second click deletes the radar")

    # A phone-width screen: nothing wider than the screen.
    page("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    page("Page.reload")
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#feed .card').length > 0",
         "the page at phone width")
    width = js("document.documentElement.scrollWidth")
    check(width <= 390, f"no sideways scrolling at 390 px ({width})")
    shot("phone")

    # The 400 of the unbalanced quote and the 409 of the rename to a taken name above are expected; nothing else.
    expected_url = lambda url: "q=%22unbalanced" in url or url.endswith("/api/radars/spare")
    errors = [e for e in events if e.get("method") in ("Runtime.exceptionThrown",)
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
                  and not expected_url(e["params"]["entry"].get("url", "")))]
    check(not errors, f"no script errors or CSP violations ({errors[:2]})")
    # A server that asks a token for writes: the page asks for it once, then the like goes through.
    seen = len(events)
    guarded, guarded_base = start_server(token="browser-test-token")
    page("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    page("Page.navigate", {"url": guarded_base + "/"})
    wait("document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#feed .card').length > 0",
         "the page on the guarded server")
    likes = get("/api/radars", guarded_base)["radars"][0]["feedback"].get("like", 0)
    js("document.querySelector('#feed .card .like').click()")
    wait("!document.getElementById('token-form').hidden", "the page to ask for the token")
    check(get("/api/radars", guarded_base)["radars"][0]["feedback"].get("like", 0) == likes, "nothing is written without the token")
    shot("token")
    js("document.getElementById('token').focus()")
    page("Input.insertText", {"text": "browser-test-token"})
    js("document.getElementById('token-form').requestSubmit()")
    deadline = time.time() + 30
    while get("/api/radars", guarded_base)["radars"][0]["feedback"].get("like", 0) == likes and time.time() < deadline:
        time.sleep(0.1)
    check(get("/api/radars", guarded_base)["radars"][0]["feedback"].get("like", 0) == likes + 1,
          "with the token the like is written")

    expected = [e for e in events[seen:] if e.get("method") == "Log.entryAdded" and "401" in e["params"]["entry"]["text"]]
    later = [e for e in events[seen:] if e.get("method") == "Runtime.exceptionThrown"
             or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error" and e not in expected)]
    check(len(expected) == 1 and not later, f"only the expected 401 was logged ({later[:2]})")
    # A form's write refused for want of the token is sent again once it is given (it had said "try again").
    js("sessionStorage.removeItem('ahub.token')")
    js("document.getElementById('new-radar').open = true")
    js("(() => { const f = document.getElementById('radar-form'); f.elements.name.value = 'guarded';"
       " f.elements.description.value = 'energy use of model training'; f.requestSubmit(); })()")
    wait("!document.getElementById('token-form').hidden", "the page to ask for the token for the new radar")
    check("guarded" not in [r["name"] for r in get("/api/radars", guarded_base)["radars"]], "no radar is made without the token")
    js("document.getElementById('token').value = 'browser-test-token'")
    js("document.getElementById('token-form').requestSubmit()")
    wait("state.feed?.radar === 'guarded'", "the new radar made once the token is given")
    check("guarded" in [r["name"] for r in get("/api/radars", guarded_base)["radars"]], "the form's write went through with the token")

    # The server gone: the page says so in its own words and shows no stale cards.
    guarded.terminate()
    guarded.wait(timeout=10)
    js("const w = document.getElementById('window'); w.value = 'all'; w.dispatchEvent(new Event('change'))")
    wait("document.getElementById('feed-note').textContent.includes('ahub serve')", "the note that the server is gone")
    check(js("document.querySelectorAll('#feed .card').length") == 0, "no stale cards once the server is gone")
    print("browser-test: passed")
finally:
    try:
        send("Browser.close")
    except SystemExit:
        pass
    browser.wait(timeout=10) if browser.poll() is None else None
    for process in (server, guarded):
        if process:
            process.terminate()
            process.wait(timeout=10)
