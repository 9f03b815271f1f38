import AndonCore

/// One frame as plain text, for `andon demo --headless --screenshot --size 120x40`.
public enum Screenshot {
    /// The screen `person` would see for `snapshot` and `events` (oldest first) at `size`, as text.
    public static func render(snapshot: PlantSnapshot, events: [EventEnvelope] = [], size: TerminalSize, person: Person,
                              isASCII: Bool = false) -> String {
        var state = ConsoleState(person: person)
        state.isASCII = isASCII
        for event in events { state.receive(event) }
        return render(snapshot: snapshot, state: state, size: size)
    }

    /// The screen for `snapshot` with a given console `state` at `size`, as text.
    public static func render(snapshot: PlantSnapshot?, state: ConsoleState, size: TerminalSize) -> String {
        TextRenderer.render(ScreenComposer.compose(snapshot: snapshot, state: state, size: size).canvas)
    }
}
