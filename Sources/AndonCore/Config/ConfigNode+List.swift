extension ConfigNode {
    /// Reads a list, taking a single scalar as a list of one (`action: stop_cell` or `action: [stop_cell, hold_cell]`).
    public func list(_ what: String) -> [ConfigNode]? {
        if case .scalar = node { return [self] }
        return sequence(what)
    }
}
