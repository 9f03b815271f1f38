import AndonCore

extension Proposal {
    /// Who proposed it, in words: `B2.maint (maintenance 1.4.2)`, or for an agent outside the runtime
    /// `outside agent vibration.trend, version 0.3.0`, so nobody takes it for a built-in agent.
    var proposerText: String {
        guard agentKind == .external else { return "\(agentID) (\(agentKind.rawValue) \(agentVersion))" }
        return "outside agent \(TerminalText.printable(agentID)), version \(TerminalText.printable(agentVersion))"
    }
}
