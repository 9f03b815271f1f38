import AndonCore

/// Every key and command, for the help overlay and the status line.
public enum KeyHelp {
    /// One entry: the keys, what they do, and the action they need permission for.
    public struct Entry: Sendable {
        /// Key names.
        public var keys: String
        /// What they do.
        public var meaning: String
        /// The guarded action, if the role matters.
        public var action: GuardedAction?
    }

    /// All keys, in the order the overlay lists them.
    public static let entries: [Entry] = [
        Entry(keys: "j k ↓ ↑ g G", meaning: "move in the pane; first / last row (PgUp PgDn)"),
        Entry(keys: "Tab S-Tab h l", meaning: "next / previous pane"),
        Entry(keys: "Enter", meaning: "detail of the selected cell, approval or agent's cell; an event in full"),
        Entry(keys: "Esc", meaning: "back; clear the filter (in the alarm list, its own)"),
        Entry(keys: "/", meaning: "filter cells by text"),
        Entry(keys: "s", meaning: "sort cells: flow, OEE, alarm"),
        Entry(keys: "a", meaning: "approve the selected approval", action: .approve),
        Entry(keys: "r", meaning: "reject the selected approval (reason)", action: .reject),
        Entry(keys: "A", meaning: "ack all alarms of the selected cell; in the alarm list, the selected alarm", action: .acknowledge),
        Entry(keys: "L :alarms", meaning: "alarm list: every alarm out of Normal, by priority then time; / filters it"),
        Entry(keys: "S U", meaning: "in the alarm list: shelve (time, reason), unshelve", action: .shelve),
        Entry(keys: "O", meaning: "in the alarm list: out of service (reason), or back", action: .outOfService),
        Entry(keys: "K", meaning: "kill switch: every agent to shadow", action: .killSwitch),
        Entry(keys: "p", meaning: "freeze / follow the cells and events (approvals, deadlines, alarms stay live)"),
        Entry(keys: "T :rejects", meaning: "telemetry rejects: reasons and recent lines"),
        Entry(keys: "? q", meaning: "this help (j/k scroll it); quit (asks first while approvals wait)"),
        Entry(keys: "Ctrl-C", meaning: "cancel a dialog, prompt or typed line; elsewhere, as q"),
        Entry(keys: ":theme NAME", meaning: "switch theme (isa101 dark light mono…)"),
        Entry(keys: ":cell ID", meaning: "open a cell"),
        Entry(keys: ":fps N", meaning: "frame-rate cap (1–30)"),
        Entry(keys: ":operator NAME", meaning: "act as someone else"),
        Entry(keys: ":pause :resume", meaning: "pause or resume the simulation"),
        Entry(keys: ":sort :ack :ascii", meaning: "order cells; ack a cell's alarms or one alarm (:ack B2.vibration.HI); ASCII glyphs"),
        Entry(keys: ":shelve :unshelve", meaning: "shelve TAG TIME REASON, unshelve TAG", action: .shelve),
        Entry(keys: ":oos :inservice", meaning: "out of service TAG REASON, back in service TAG", action: .outOfService),
        Entry(keys: ":reload", meaning: "reload the policy file", action: .reloadPolicy),
    ]
}
