import AndonCore
import Foundation
import Testing

/// Proposals and decisions write their own canonical JSON; the audit chain's hashes are computed over it, so it must be
/// `JSONEncoder`'s byte for byte, or nil (left to the encoder).
struct CanonicalPayloadTests {
    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// A small seeded generator, so a failure names its case.
    struct Draw {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
        /// Mostly a text the writers write themselves, now and then one they leave to the encoder.
        mutating func text() -> String { next() % 8 == 0 ? pick(CanonicalPayloadTests.texts) : pick(CanonicalPayloadTests.plainTexts) }
        mutating func number() -> Double {
            switch next() % 6 {
            case 0: Double(Int(next() % 2_000_001) - 1_000_000) / 1000
            case 1: Double(next() % 100)
            case 2: Double(bitPattern: next() << 11 | next() % 2048)
            case 3: pick([0, -0.0, 1e-7, 1e16, 1e21, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 2.5, 3600, .infinity, .nan])
            case 4: Double(next() % 86_400_000) / 1000
            default: Double(next() % 1000) / 7
            }
        }
    }

    static let texts = ["B1", "p-1-42", "L12/C3", "vibration (EWMA)", "quo\"te", "back\\slash", "tab\there", "ümlaut µs", "",
                        "~ ok {}:,", "c-123", "a sentence, with commas; and 45.2 mm/s", "45 °C ≥ 40 °C → stop", "\u{1F600} \u{2028}\u{2029}",
                        "del\u{7F}", "\u{FEFF}e\u{301}", "\\\"\\", "line\nbreak", "nul\u{0}"]
    static let plainTexts = ["B1", "p-1-42", "L12/C3", "vibration (EWMA)", "c-123", "a sentence, with commas; and 45.2 mm/s", ""]
    static let keys = ["percent", "minutes", "parts", "rate", "Percent", "with_underscore", "x1", "a", "z"]

    @Test(arguments: 0..<8)
    func aProposalsTextIsTheEncodersText(seed: UInt64) {
        var draw = Draw(state: seed &+ 0x5EED)
        var written = 0
        for _ in 0..<600 {
            var parameters: [String: Double] = [:]
            for _ in 0..<Int(draw.next() % 4) { parameters[draw.pick(Self.keys)] = draw.number() }
            let evidence = (0..<Int(draw.next() % 4)).map { _ in
                Evidence(name: draw.text(), value: draw.number(), unit: draw.pick(["mm/s", "°C", "%", ""]),
                         limit: draw.next() % 2 == 0 ? nil : draw.number())
            }
            let correlation = draw.pick([CorrelationID(sequence: draw.next()), CorrelationID(tickAt: Int(draw.next() % 100_000)),
                                         CorrelationID(draw.text())])
            let proposal = Proposal(id: draw.text(), action: draw.pick(ActionKind.allCases), parameters: parameters,
                                    target: draw.text(), line: draw.text(), rationale: draw.text(),
                                    evidence: evidence, risk: draw.pick(RiskClass.allCases), idempotencyKey: draw.text(),
                                    agentID: draw.text(), agentKind: draw.pick(AgentKind.allCases), agentVersion: draw.pick(["1.4.2", "2"]),
                                    correlationID: correlation, createdAt: draw.number(), isShadow: draw.next() % 2 == 0)
            if let text = proposal.canonicalJSON {
                written += 1
                #expect(text == Self.encoded(proposal), "seed \(seed)")
            }
            #expect(CanonicalJSON.string(proposal) == ((try? JSONEncoder().encode(proposal)) == nil ? "{}" : Self.encoded(proposal)))
        }
        #expect(written > 10, "the writer wrote \(written) of 600 itself")
    }

    @Test(arguments: 0..<4)
    func aDecisionsTextIsTheEncodersText(seed: UInt64) {
        var draw = Draw(state: seed &+ 0xDEC1)
        var written = 0
        for _ in 0..<600 {
            let rules = (0..<Int(draw.next() % 3)).map { _ in draw.pick(["small-speed-tweak", "high-risk", "a/b", "quo\"te"]) }
            let requirement = draw.next() % 4 == 0 ? ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 300) : nil
            let decision = Decision(proposalID: draw.text(), outcome: draw.pick(DecisionOutcome.allCases), ruleIDs: rules,
                                    reasons: rules.map { "rule \($0) says so" }, requirement: requirement,
                                    policyVersion: draw.pick(["2026.11.1", "v2 ümlaut"]), policyHash: String(repeating: "ab", count: 32),
                                    isShadow: draw.next() % 3 == 0)
            if let text = decision.canonicalJSON {
                written += 1
                #expect(requirement == nil)
                #expect(text == Self.encoded(decision), "seed \(seed)")
            }
            #expect(CanonicalJSON.string(decision) == Self.encoded(decision))
        }
        #expect(written > 100)
    }

    @Test(arguments: 0..<4)
    func anAlarmChangeAndAnActionsTextsAreTheEncodersTexts(seed: UInt64) {
        var draw = Draw(state: seed &+ 0xA1A2)
        for _ in 0..<500 {
            let alarm = AlarmChange(tag: draw.text(), priority: Int(draw.next() % 5) - 1, state: draw.pick(AlarmState.allCases), message: draw.text())
            if let text = alarm.canonicalJSON { #expect(text == Self.encoded(alarm), "seed \(seed)") }
            #expect(CanonicalJSON.string(alarm) == Self.encoded(alarm))
            let execution = ActionExecution(proposalID: draw.text(), action: draw.pick(ActionKind.allCases), target: draw.text(),
                                            idempotencyKey: draw.text(), applied: draw.next() % 2 == 0)
            if let text = execution.canonicalJSON { #expect(text == Self.encoded(execution), "seed \(seed)") }
        }
    }

    /// Texts as the encoder writes them: other scripts, symbols and emoji as they are, quotes and backslashes escaped;
    /// control characters left to the encoder.
    @Test(arguments: texts)
    func aTextIsQuotedAsTheEncoderQuotesIt(_ text: String) {
        guard let written = CanonicalJSON.quoted(text) else {
            #expect(text.utf8.contains { $0 < 0x20 }, "only a text with a control character is left to the encoder")
            return
        }
        #expect("[" + written + "]" == Self.encoded([text]))
    }

    /// Numbers as the encoder writes them, across the whole range of doubles.
    @Test func everyFiniteNumberIsWrittenAsTheEncoderWritesIt() {
        var draw = Draw(state: 42)
        for _ in 0..<50_000 {
            let value = draw.number()
            guard let text = CanonicalJSON.number(value) else {
                #expect(!value.isFinite)
                continue
            }
            let encoded = Self.encoded([value])
            #expect("[" + text + "]" == encoded, "\(value)")
        }
    }
}
