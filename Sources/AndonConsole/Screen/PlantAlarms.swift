import AndonCore

/// Every alarm of a snapshot that is not in Normal, in the alarm list's order, with the counts the header shows.
///
/// The list is sorted as ISA-18.2 wants an alarm summary: alarms in view and shelved ones first, by priority, then
/// newest first; then those out of service or suppressed by design, which are listed apart so nobody takes them for
/// the plant being quiet.
struct PlantAlarms: Sendable {
    /// The alarms, in list order.
    let list: [AlarmSummary]
    /// Alarms in view (active or returned unacknowledged) by priority, 1 to 4.
    let inView: [Int]
    /// Alarms still to be acknowledged.
    let unacknowledged: Int
    /// Shelved alarms.
    let shelved: Int
    /// Alarms suppressed by design.
    let suppressed: Int
    /// Alarms out of service.
    let outOfService: Int
    /// Chattering points.
    let chattering: Int
    /// Alarms that came in during the last 10 minutes.
    let rate: Int
    /// Cells whose data is stale.
    let staleCells: Int
    /// Cells down: held, stopped or aborted, or on their way there or back.
    let downCells: Int
    /// The ids of the cells down, by line id.
    let downByLine: [String: [String]]

    /// Works the list out from `snapshot`. O(cells).
    init(_ snapshot: PlantSnapshot) {
        var list: [AlarmSummary] = []
        var rate = 0, stale = 0
        var downByLine: [String: [String]] = [:]
        // Read in place: a cell bound to a name would be copied with every array and text it holds, 10,000 times a
        // snapshot for a large plant.
        // The cells' keys first (a few bytes each); a cell's own snapshot only for its alarms or when it is down.
        let keys = snapshot.keysOfCells
        snapshot.cells.withUnsafeBufferPointer { cells in
            for i in keys.indices {
                rate += Int(keys[i].recentAlarmActivations)
                if keys[i].isStale { stale += 1 }
                if keys[i].listedAlarms > 0 { list.append(contentsOf: cells[i].alarms) }
                if keys[i].isDown { downByLine[cells[i].line, default: []].append(cells[i].id) }
            }
        }
        staleCells = stale
        downCells = downByLine.values.reduce(0) { $0 + $1.count }
        self.downByLine = downByLine
        list.sort(by: Self.precedes)
        self.list = list
        var inView = [0, 0, 0, 0]
        for alarm in list where alarm.state.isAnnunciated { inView[min(3, max(0, alarm.priority - 1))] += 1 }
        self.inView = inView
        unacknowledged = list.count(where: { $0.state.needsAcknowledgement })
        shelved = list.count(where: { $0.state == .shelved })
        suppressed = list.count(where: { $0.state == .suppressed })
        outOfService = list.count(where: { $0.state == .outOfService })
        chattering = list.count(where: \.isChattering)
        self.rate = rate
    }

    /// Alarms in view, of every priority.
    var inViewCount: Int { inView.reduce(0, +) }

    /// True when the rate is a flood for one operator (ISA-18.2: more than 10 in 10 minutes).
    var isFlood: Bool { AlarmRate.isFlood(rate) }

    /// The list order: in view or shelved before out of service or suppressed; then priority; then newest first; then tag.
    static func precedes(_ a: AlarmSummary, _ b: AlarmSummary) -> Bool {
        func group(_ alarm: AlarmSummary) -> Int { alarm.state == .outOfService || alarm.state == .suppressed ? 1 : 0 }
        return (group(a), a.priority, -a.since, a.tag) < (group(b), b.priority, -b.since, b.tag)
    }

    /// The alarms whose tag, cell, point, message or state word contain `filter` (case-insensitive).
    func filtered(_ filter: String) -> [AlarmSummary] {
        let needle = Needle(filter.trimmingCharacters(in: .whitespaces).lowercased())
        guard !needle.text.isEmpty else { return list }
        return list.filter {
            needle.isIn($0.tag) || needle.isIn($0.cell) || needle.isIn($0.point) || needle.isIn($0.message) || needle.isIn($0.state.word)
        }
    }
}
