import AndonTesting
import Foundation
import Testing

/// The terminal, broker, MCP, shared-store and metrics tests skip themselves where tmux, mosquitto, the Python mcp
/// client, PostgreSQL or promtool are missing; in CI, where `.ci/run` installs them, a skip would hide a broken install,
/// so their absence fails here.
struct ToolPresenceTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] != nil, "only enforced in CI"))
    func endToEndToolsArePresentInCI() {
        #expect(TmuxSession.isAvailable, "tmux or the andon binary is missing: the tmux tests would be skipped")
        #expect(MqttBroker.isAvailable, "mosquitto is missing: the broker test would be skipped")
        #expect(ThrowawayPostgres.isInstalled, "PostgreSQL (initdb, pg_ctl) is missing: the shared-store tests could not start a cluster")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "promtool is missing: the metrics would go unchecked")
        #expect(MCPEndToEndTests.hasMCPClient, "python3 lacks the mcp package: the MCP client test would be skipped")
    }
}
