import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves `GET /metrics` in Prometheus text format over HTTP/1.1 on its own event loop, so a slow scraper never holds
/// the runtime: each scrape asks `render` for the text (the runtime's latest snapshot) and answers with it.
public final class MetricsServer: Sendable {
    /// Where it listens (the port chosen when 0 was asked for).
    public let address: (host: String, port: Int)
    private let channel: any Channel

    /// Binds `host:port` and starts serving.
    public static func start(host: String, port: Int, render: @escaping @Sendable () async -> String) async throws -> MetricsServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHandler(render: render))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return MetricsServer(channel: channel, host: host, port: channel.localAddress?.port ?? port)
    }

    private init(channel: any Channel, host: String, port: Int) {
        self.channel = channel
        address = (host, port)
    }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }

    /// Parses `ADDR:PORT` or `PORT` (loopback then); nil when it is neither.
    public static func parse(_ text: String) -> (host: String, port: Int)? {
        let host: String, portText: Substring
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            portText = text[text.index(after: colon)...]
        } else {
            host = "127.0.0.1"
            portText = Substring(text)
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else { return nil }
        return (host, port)
    }
}

/// Answers one request at a time on a connection: `/metrics` with the text, anything else with 404.
private final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () async -> String
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () async -> String) { self.render = render }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
            let loop = context.eventLoop
            let bound = NIOLoopBound(context, eventLoop: loop)
            let keepAlive = request.isKeepAlive
            guard request.method == .GET || request.method == .HEAD, path == "/metrics" else {
                respond(bound.value, status: request.method == .GET ? .notFound : .methodNotAllowed, body: "only GET /metrics is served\n",
                        contentType: "text/plain; charset=utf-8", keepAlive: keepAlive, includeBody: true)
                return
            }
            let render = self.render
            let isHead = request.method == .HEAD
            loop.makeFutureWithTask { await render() }.whenSuccess { [self] text in
                respond(bound.value, status: .ok, body: text, contentType: MetricsText.contentType, keepAlive: keepAlive, includeBody: !isHead)
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: String, contentType: String, keepAlive: Bool,
                         includeBody: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if includeBody {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
