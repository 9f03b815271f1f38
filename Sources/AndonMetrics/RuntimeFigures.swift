/// What a runtime knows beyond its snapshot, for the metrics: who it is and who is attached.
public struct RuntimeFigures: Sendable, Hashable {
    /// The runtime's id (a label on every plant metric), e.g. its stream id in the shared store.
    public var runtimeID: String
    /// Consoles attached now.
    public var attachedConsoles: Int
    /// Outside agents attached now.
    public var attachedAgents: Int

    /// Creates the figures.
    public init(runtimeID: String, attachedConsoles: Int = 0, attachedAgents: Int = 0) {
        self.runtimeID = runtimeID
        self.attachedConsoles = attachedConsoles
        self.attachedAgents = attachedAgents
    }
}
