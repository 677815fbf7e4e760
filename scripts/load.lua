-- wrk: searches (keyword, hybrid, with filters) and a radar's feed, in turn, on every connection.
local paths = {
  "/api/search?q=language%20models&mode=keyword",
  "/api/radars/demo/feed?any-date=true&limit=10",
  "/api/search?q=energy%20of%20training&mode=hybrid",
  "/api/radars/demo/feed?days=30&limit=10",
  "/api/search?q=diffusion&category=cs.CV&offset=10",
  "/api/search?q=%E8%AE%A1%E7%AE%97%E6%9C%BA%E8%A7%86%E8%A7%89",
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
