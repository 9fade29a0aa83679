-- wrk script for benchmarks/run http-vs-floor: POST /v1/score with a new transaction each time.
-- Every request has a txnId no other request of the run has (thread number, run start, counter), so the engine
-- scores every one (no repeats answered from the index); customers, cards, devices and IPs cycle through a population
-- of 200 000, merchants through 2 000. Arguments after --: the API key.
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  key = args[1] or "echo"
  prefix = string.format("wrk-%d-%d-", thread_number, os.time())
  counter = 0
  wrk.method = "POST"
  wrk.path = "/v1/score"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = key
end

function request()
  counter = counter + 1
  local c = (counter * 7919 + thread_number * 104729) % 200000
  local ts = os.time() * 1000
  local body = string.format(
    '{"txnId":"%s%d","ts":%d,"customerId":"c-%d","cardId":"k-%d","merchantId":"m-%d",' ..
    '"amount":"%d.%02d","currency":"USD","deviceId":"d-%d","ip":"10.%d.%d.%d","country":"US","channel":"WEB"}',
    prefix, counter, ts, c, c, c % 2000, 5 + c % 400, c % 100, c, c % 250, math.floor(c / 250) % 250, c % 200 + 1)
  return wrk.format(nil, nil, nil, body)
end
