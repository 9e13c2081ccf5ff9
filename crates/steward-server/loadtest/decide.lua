-- Single decisions about stored subjects (ids from IDS_FILE, one per line), or with inline
-- facts when INLINE=1. Every decision is audited (one durable audit entry each).
local key = os.getenv("KEY")
local inline = os.getenv("INLINE") == "1"
local ids = {}
if not inline then
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
end
local headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
local i = math.random(1, 100000)
request = function()
  i = i + 1
  local body
  if inline then
    body = '{"op":"can_disclose","subject":{"jurisdiction":"US-TX"},"categories":["name","postal_address"],"recipient":"MP1","purpose":"third_party_promotional_mail"}'
  else
    body = '{"op":"can_disclose","subject":{"id":"' .. ids[(i % #ids) + 1] ..
      '"},"categories":["name","postal_address"],"recipient":"MP1","purpose":"third_party_promotional_mail"}'
  end
  return wrk.format("POST", "/v1/decisions", headers, body)
end
