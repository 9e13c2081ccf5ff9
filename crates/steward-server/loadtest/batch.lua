-- Batch decisions: the body (BODY_FILE) holds thousands of requests; decisions/s is
-- requests/s times the batch size.
local key = os.getenv("KEY")
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"
