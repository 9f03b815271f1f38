import AndonMetrics
import Foundation
import Testing

/// `/metrics` over HTTP, as Prometheus scrapes it.
@Suite struct MetricsServerTests {
    @Test func metricsAreServedAsPrometheusTextAndNothingElseIs() async throws {
        let server = try await MetricsServer.start(host: "127.0.0.1", port: 0) { "andon_up 1\n" }
        defer { Task { await server.stop() } }
        let ok = try await Self.fetch(port: server.address.port, path: "/metrics")
        #expect(ok.hasPrefix("HTTP/1.1 200 OK"))
        #expect(ok.lowercased().contains("content-type: text/plain; version=0.0.4"))
        #expect(ok.hasSuffix("\r\n\r\nandon_up 1\n"))
        let missing = try await Self.fetch(port: server.address.port, path: "/")
        #expect(missing.hasPrefix("HTTP/1.1 404"))
    }

    @Test func addressesAreLoopbackUnlessSaidOtherwise() {
        #expect(MetricsServer.parse("9464")! == ("127.0.0.1", 9464))
        #expect(MetricsServer.parse("0.0.0.0:9464")! == ("0.0.0.0", 9464))
        #expect(MetricsServer.parse("[::1]:9464")! == ("::1", 9464))
        #expect(MetricsServer.parse("localhost:http") == nil)
        #expect(MetricsServer.parse("70000") == nil)
    }

    /// ``get(port:path:)`` on a thread of its own: its blocking reads must not hold one of the few threads the server's
    /// answer (an async render) needs.
    static func fetch(port: Int, path: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try get(port: port, path: path) }) }
        }
    }

    /// One HTTP/1.0 request on a plain socket, waiting at most five minutes for each read; the whole response. (The
    /// server renders on the test process's cooperative threads, two on this machine, which the terminal tests
    /// running beside it hold while they wait on their consoles: ten seconds once ran out with nothing read, and in a
    /// fresh-clone run a minute did, while the same test alone answers in milliseconds.)
    static func get(port: Int, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = Array("GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            response.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }
}
