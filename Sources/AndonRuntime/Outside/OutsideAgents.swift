import AndonCore
import Foundation

/// At most `burst` proposals at once, refilled at the declared rate; time is monotonic nanoseconds handed in, so a
/// test needs no clock.
struct ProposalBucket {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var last: UInt64

    init(_ rate: ProposalRate, now: UInt64) {
        perSecond = rate.perSecond
        burst = Double(rate.burst)
        tokens = burst
        last = now
    }

    /// Takes one proposal's token; false when there is none.
    mutating func take(now: UInt64) -> Bool {
        let elapsed = Double(now &- last) / 1e9
        last = now
        tokens = min(burst, tokens + max(0, elapsed) * perSecond)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// One use of an idempotency key: the proposal it made and what became of it.
struct KeyUse {
    /// What the key was first sent with (action, target, parameters, risk).
    let fingerprint: String
    var proposal: Proposal
    var decision: Decision?
    /// For an allowed proposal: whether it ran.
    var isExecuted = false
    /// Why an approval it needed was not opened (one was already pending for the same target and action).
    var notOpened: String?
}

/// What an outside agent read: when, and each cell's data age then.
struct AgentRead {
    let time: SimTime
    let dataAges: [String: Double]
}

/// What the runtime keeps of one outside agent: its definition, rate bucket, latency, counts, keys and reads.
struct OutsideAgentState {
    let spec: OutsideAgentSpec
    var bucket: ProposalBucket
    var latency: LatencyRecorder
    var proposals = 0
    var refused = 0
    var throttled = 0
    var replays = 0
    /// True while proposals are refused for the rate: the first refusal of a run is on record, the rest counted.
    var isThrottled = false
    var keys: [String: KeyUse] = [:]
    /// Keys in the order used, oldest first (a bounded history; the audit trail's spent keys outlive it).
    var keyOrder: [String] = []
    var reads: [UInt64: AgentRead] = [:]
    var readOrder: [UInt64] = []

    static let keysKept = 2000
    static let readsKept = 64

    init(_ spec: OutsideAgentSpec, now: UInt64) {
        self.spec = spec
        bucket = ProposalBucket(spec.rate, now: now)
        latency = LatencyRecorder(budgetSeconds: spec.budgetSeconds)
    }

    mutating func remember(_ use: KeyUse, key: String) {
        if keys[key] == nil { keyOrder.append(key) }
        keys[key] = use
        if keyOrder.count > Self.keysKept { keys[keyOrder.removeFirst()] = nil }
    }

    mutating func remember(read number: UInt64, _ read: AgentRead) {
        reads[number] = read
        readOrder.append(number)
        if readOrder.count > Self.readsKept { reads[readOrder.removeFirst()] = nil }
    }
}

/// Every outside agent the plant declares, by id.
struct OutsideAgents {
    var byID: [String: OutsideAgentState] = [:]
    /// Ids in the order the plant lists them.
    let order: [String]
    /// Reads served so far (numbers are unique in the run).
    var reads: UInt64 = 0

    init(_ specs: [OutsideAgentSpec], now: UInt64) {
        order = specs.map(\.id)
        for spec in specs { byID[spec.id] = OutsideAgentState(spec, now: now) }
    }
}

/// Why a proposal an outside agent sent is not one the policy may see.
struct ProposalCheck {
    let spec: OutsideAgentSpec
    let plant: PlantSpec

    /// Longest rationale kept, in characters.
    static let rationaleLimit = 2000
    /// Most evidence figures.
    static let evidenceLimit = 32
    /// Longest idempotency key, in characters.
    static let keyLimit = 200

    /// The draft the proposal makes, or the reason it is refused.
    func draft(_ sent: OutsideProposal) -> Result<ProposalDraft, ProposalRefusal> {
        guard let action = ActionKind(rawValue: sent.action) else {
            return .failure(.init("unknown action '\(TerminalText.printable(String(sent.action.prefix(60))))': the plant's actions are "
                                  + ActionKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard spec.actions.contains(action) else {
            return .failure(.init("agent \(spec.id) may not propose \(action.rawValue): its declared actions are \(spec.actions.map(\.rawValue).joined(separator: ", "))"))
        }
        if let refusal = checkTarget(sent.target, action: action) { return .failure(refusal) }
        guard let risk = RiskClass(rawValue: sent.risk) else {
            return .failure(.init("unknown risk '\(TerminalText.printable(String(sent.risk.prefix(40))))': one of low, medium, high, critical"))
        }
        let key = sent.idempotencyKey
        guard !key.isEmpty, key.count <= Self.keyLimit, !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return .failure(.init("an idempotency key is 1 to \(Self.keyLimit) printable characters"))
        }
        guard !sent.rationale.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(.init("a proposal says why: the rationale is empty"))
        }
        guard sent.rationale.count <= Self.rationaleLimit else {
            return .failure(.init("a rationale of \(sent.rationale.count) characters is too long (at most \(Self.rationaleLimit))"))
        }
        let parameters: [String: Double]
        switch checkParameters(sent.parameters ?? [:], action: action) {
        case let .success(checked): parameters = checked
        case let .failure(refusal): return .failure(refusal)
        }
        let evidence: [Evidence]
        switch checkEvidence(sent.evidence ?? []) {
        case let .success(checked): evidence = checked
        case let .failure(refusal): return .failure(refusal)
        }
        return .success(ProposalDraft(action: action, parameters: parameters, target: sent.target, rationale: Self.oneLine(sent.rationale),
                                      evidence: evidence, risk: risk, idempotencyKey: key))
    }

    /// Text from an agent as one printable line: line breaks become spaces and any other control character `?`, so it
    /// cannot move a console's cursor or retitle its terminal.
    static func oneLine(_ text: String) -> String {
        TerminalText.printable(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " "))
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func checkTarget(_ target: String, action: ActionKind) -> ProposalRefusal? {
        let shown = TerminalText.printable(String(target.prefix(60)))
        if action.targetsLine {
            guard plant.lines.contains(where: { $0.id == target }) else {
                return ProposalRefusal("\(action.rawValue) acts on a line, and the plant has no line '\(shown)': one of \(plant.lines.map(\.id).joined(separator: ", "))")
            }
            guard case let .line(line) = spec.scope, line == target else {
                return ProposalRefusal("agent \(spec.id) acts on \(spec.scope.description), not line \(shown)")
            }
            return nil
        }
        guard let cell = plant.cells.first(where: { $0.id == target }) else {
            return ProposalRefusal("\(action.rawValue) acts on a cell, and the plant has no cell '\(shown)'")
        }
        switch spec.scope {
        case let .cell(id) where id != cell.id, let .line(id) where id != cell.line:
            return ProposalRefusal("agent \(spec.id) acts on \(spec.scope.description), and \(cell.id) is not on it")
        default:
            return nil
        }
    }

    private func checkParameters(_ sent: [String: LooseValue], action: ActionKind) -> Result<[String: Double], ProposalRefusal> {
        let known = action.parameters
        var checked: [String: Double] = [:]
        for name in sent.keys.sorted() where !known.contains(where: { $0.name == name }) {
            let takes = known.isEmpty ? "takes no parameters" : "takes \(known.map(\.name).joined(separator: ", "))"
            return .failure(ProposalRefusal("\(action.rawValue) has no parameter '\(TerminalText.printable(String(name.prefix(40))))': it \(takes)"))
        }
        for parameter in known {
            guard let value = sent[parameter.name] else {
                if parameter.isRequired { return .failure(ProposalRefusal("\(action.rawValue) needs '\(parameter.name)': \(parameter.meaning)")) }
                continue
            }
            guard let number = value.finiteNumber else {
                return .failure(ProposalRefusal("parameter '\(parameter.name)' is \(value.kindName), not a number"))
            }
            guard parameter.range.contains(number) else {
                return .failure(ProposalRefusal("parameter '\(parameter.name)' \(Self.format(number)) is out of range: "
                                                + "\(Self.format(parameter.range.lowerBound)) to \(Self.format(parameter.range.upperBound))"))
            }
            checked[parameter.name] = number
        }
        return .success(checked)
    }

    private func checkEvidence(_ sent: [[String: LooseValue]]) -> Result<[Evidence], ProposalRefusal> {
        guard sent.count <= Self.evidenceLimit else {
            return .failure(ProposalRefusal("\(sent.count) evidence figures are too many (at most \(Self.evidenceLimit))"))
        }
        var evidence: [Evidence] = []
        for (index, item) in sent.enumerated() {
            let place = "evidence \(index + 1)"
            guard case let .text(name)? = item["name"], !name.isEmpty, name.count <= 80 else {
                return .failure(ProposalRefusal("\(place) has no name (text of at most 80 characters)"))
            }
            guard let valueField = item["value"] else { return .failure(ProposalRefusal("\(place) has no value")) }
            guard let value = valueField.finiteNumber else {
                return .failure(ProposalRefusal("\(place) (\(TerminalText.printable(name))) is \(valueField.kindName): evidence is figures, a finite number"))
            }
            var unit = ""
            if let unitField = item["unit"] {
                guard case let .text(text) = unitField, text.count <= 20 else { return .failure(ProposalRefusal("\(place) has a unit that is not short text")) }
                unit = text
            }
            var limit: Double?
            if let limitField = item["limit"], limitField != .null {
                guard let number = limitField.finiteNumber else {
                    return .failure(ProposalRefusal("\(place) has a limit that is \(limitField.kindName), not a number"))
                }
                limit = number
            }
            for extra in item.keys where !["name", "value", "unit", "limit"].contains(extra) {
                return .failure(ProposalRefusal("\(place) has '\(TerminalText.printable(String(extra.prefix(40))))': evidence has name, value, unit and limit"))
            }
            evidence.append(Evidence(name: Self.oneLine(name), value: value, unit: Self.oneLine(unit), limit: limit))
        }
        return .success(evidence)
    }
}

/// Why an outside agent's request was refused.
struct ProposalRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension OutsideProposal {
    /// What the proposal would do, for telling a replayed key from a reused one: action, target, parameters, risk
    /// (not the rationale or evidence, which a retry may word afresh).
    var fingerprint: String {
        let parameters = (self.parameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.finiteNumber.map { "\($0)" } ?? $0.value.kindName)" }
        return "\(action)|\(target)|\(parameters.joined(separator: ","))|\(risk)"
    }
}

extension Proposal {
    /// The fingerprint of an outside proposal with the same content (see ``OutsideProposal/fingerprint``).
    var outsideFingerprint: String {
        let parameters = self.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(action.rawValue)|\(target)|\(parameters.joined(separator: ","))|\(risk.rawValue)"
    }
}
