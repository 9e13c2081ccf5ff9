-- Consent writes: each request records one choice for a stored subject (rotating over
-- IDS_FILE), alternating the value, through the append-only ledger (durable, audited).
local key = os.getenv("KEY")
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
local i = math.random(1, 100000)
request = function()
  i = i + 1
  local v = (i % 2 == 0) and "true" or "false"
  local body = '{"subject_id":"' .. ids[(i % #ids) + 1] ..
    '","choices":[{"key":"marketing:first_party:email","value":' .. v .. ',"channel":"web_form"}]}'
  return wrk.format("POST", "/v1/choices", headers, body)
end
