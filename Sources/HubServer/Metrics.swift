import AcademicHub
import Foundation
import Hummingbird

/// Requests and latencies per route, kept in memory for `/metrics` (Prometheus' text format).
final class APIMetrics: @unchecked Sendable {
    /// Histogram bounds in seconds.
    static let bounds: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Latency {
        var buckets = [Int](repeating: 0, count: APIMetrics.bounds.count)
        var sum = 0.0
        var count = 0
    }

    private let lock = NSLock()
    private var requests: [String: [Int: Int]] = [:]
    private var latencies: [String: Latency] = [:]

    func record(method: String, route: String, status: Int, seconds: Double) {
        let series = "method=\"\(method)\",route=\"\(Self.escaped(route))\""
        lock.withLock {
            requests[series, default: [:]][status, default: 0] += 1
            var latency = latencies[series] ?? Latency()
            for (i, bound) in Self.bounds.enumerated() where seconds <= bound { latency.buckets[i] += 1 }
            latency.sum += seconds
            latency.count += 1
            latencies[series] = latency
        }
    }

    /// The exposition text: requests, latencies, the library's size and each source's fetch status.
    func text(papers: Int, sources: [Hub.SourceStatus]) -> String {
        var lines = ["# HELP ahub_http_requests_total Requests answered, by route and status.",
                     "# TYPE ahub_http_requests_total counter"]
        let (requests, latencies) = lock.withLock { (self.requests, self.latencies) }
        for series in requests.keys.sorted() {
            for status in requests[series]!.keys.sorted() {
                lines.append("ahub_http_requests_total{\(series),status=\"\(status)\"} \(requests[series]![status]!)")
            }
        }
        lines += ["# HELP ahub_http_request_duration_seconds Time to answer, by route.",
                  "# TYPE ahub_http_request_duration_seconds histogram"]
        for series in latencies.keys.sorted() {
            let latency = latencies[series]!
            for (i, bound) in Self.bounds.enumerated() {
                lines.append("ahub_http_request_duration_seconds_bucket{\(series),le=\"\(bound)\"} \(latency.buckets[i])")
            }
            lines.append("ahub_http_request_duration_seconds_bucket{\(series),le=\"+Inf\"} \(latency.count)")
            lines.append("ahub_http_request_duration_seconds_sum{\(series)} \(latency.sum)")
            lines.append("ahub_http_request_duration_seconds_count{\(series)} \(latency.count)")
        }
        lines += ["# HELP ahub_library_papers Papers in the library.", "# TYPE ahub_library_papers gauge",
                  "ahub_library_papers \(papers)",
                  "# HELP ahub_source_failures Failed fetches in a row, by source.", "# TYPE ahub_source_failures gauge"]
        for source in sources { lines.append("ahub_source_failures{source=\"\(Self.escaped(source.record.name))\"} \(source.record.failures)") }
        lines += ["# HELP ahub_source_last_success_timestamp_seconds When a source was last fetched without error.",
                  "# TYPE ahub_source_last_success_timestamp_seconds gauge"]
        let formatter = ISO8601DateFormatter()
        for source in sources {
            guard let success = source.record.lastSuccess.flatMap(formatter.date(from:)) else { continue }
            lines.append("ahub_source_last_success_timestamp_seconds{source=\"\(Self.escaped(source.record.name))\"} \(Int(success.timeIntervalSince1970))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escaped(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Times every request and counts it under its route pattern (`/api/papers/{key}`, never the key itself).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        func record(_ status: Int) {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            // Hummingbird names a request no route matched "NotFound", a wrong method's too: those are counted
            // under the route their path has (a 405 on /api/stats under /api/stats), the rest as "unmatched".
            // A path with an empty segment (`/api/stats/`) is answered as no route, which the router had matched.
            let path = request.uri.path
            let matched = NoRouteMiddleware<Context>.hasEmptySegment(path) ? nil : context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 }
            let route = matched ?? NoRouteMiddleware<Context>.metricsLabel(path)
            metrics.record(method: request.method.rawValue, route: route, status: status, seconds: seconds)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            record(error.status.code)
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
