import { test } from "node:test";
import assert from "node:assert/strict";
import { MetricsRegistry } from "../../src/server/metrics.js";
import { parsePrometheus } from "../helpers/prometheus.js";

test("metrics: counters, histograms and gauges render as Prometheus text that parses back", () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter("app_requests_total", "Requests.", ["route", "status"]);
  const latency = registry.histogram("app_latency_seconds", "Latency.", ["route"], [0.1, 1, 0.5]);
  let depth = 3;
  registry.gauge("app_queue_depth", "Queue.", () => depth);
  requests.inc({ route: "/a", status: "200" });
  requests.inc({ route: "/a", status: "200" });
  requests.inc({ status: "500", route: "/b" }, 5);
  latency.observe({ route: "/a" }, 0.05);
  latency.observe({ route: "/a" }, 0.7);
  latency.observe({ route: "/a" }, 3);
  depth = 7;

  const parsed = parsePrometheus(registry.render());
  assert.equal(parsed.types.get("app_requests_total"), "counter");
  assert.equal(parsed.types.get("app_latency_seconds"), "histogram");
  assert.equal(parsed.value("app_requests_total", { route: "/a", status: "200" }), 2);
  assert.equal(parsed.value("app_requests_total", { route: "/b", status: "500" }), 5);
  // buckets are cumulative and sorted; +Inf counts everything
  assert.deepEqual(
    parsed.samples.filter((s) => s.name === "app_latency_seconds_bucket").map((s) => [s.labels["le"], s.value]),
    [["0.1", 1], ["0.5", 1], ["1", 2], ["+Inf", 3]],
  );
  assert.equal(parsed.value("app_latency_seconds_count", { route: "/a" }), 3);
  assert.ok(Math.abs(parsed.value("app_latency_seconds_sum", { route: "/a" })! - 3.75) < 1e-12);
  assert.equal(parsed.value("app_queue_depth"), 7, "gauges are read when rendered");
  assert.equal(requests.get({ route: "/c", status: "200" }), 0);
  assert.equal(parsePrometheus(registry.render()).value("app_requests_total", { route: "/c" }), undefined, "reading a counter does not create a series");
});

test("metrics: label values with quotes, backslashes and newlines are escaped", () => {
  const registry = new MetricsRegistry();
  const errors = registry.counter("app_errors_total", "Errors by type.", ["type"]);
  const nasty = 'a"b\\c\nd';
  errors.inc({ type: nasty });
  const text = registry.render();
  assert.match(text, /app_errors_total\{type="a\\"b\\\\c\\nd"\} 1/);
  assert.equal(parsePrometheus(text).value("app_errors_total", { type: nasty }), 1);
});
