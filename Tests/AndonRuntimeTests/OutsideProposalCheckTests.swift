import AndonCore
import AndonTesting
import Testing
@testable import AndonRuntime

/// What an outside agent sends, however wrong, is refused with a reason or becomes a draft that keeps every rule:
/// thousands of generated proposals (known and unknown actions and targets, parameters in and out of range and of
/// every JSON kind, evidence that is not numbers, control characters and escapes in every text) against the demo
/// plant's `assistant`.
struct OutsideProposalCheckTests {
    static let plant = try! Fixtures.demoPlant()
    static let assistant = plant.outsideAgents.first { $0.id == "assistant" }!

    static func isPrintable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    static func text(_ random: inout SeededRandom) -> String {
        let pieces = ["B2", "reduce_speed", "body", "\u{1B}[2J", "\u{1B}]0;title\u{07}", "\n", "\r", "\t", "é", "🙂", "", " ", "%", "\u{0}", "x"]
        return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func value(_ random: inout SeededRandom) -> LooseValue {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: .number(.nan)
        case 1: .number(.infinity)
        case 2: .number(Double.random(in: -200...200, using: &random))
        case 3: .number(Double(Int.random(in: -60...60, using: &random)))
        case 4: .text(text(&random))
        case 5: .flag(Bool.random(using: &random))
        case 6: .null
        default: .structure
        }
    }

    static func proposal(_ random: inout SeededRandom) -> OutsideProposal {
        let actions = ActionKind.allCases.map(\.rawValue) + ["launch", "", "REDUCE_SPEED"]
        let targets = plant.cells.map(\.id) + plant.lines.map(\.id) + ["", "Z9", "B2\u{1B}"]
        let names = ["percent", "minutes", "parts", "speed", ""]
        var parameters: [String: LooseValue] = [:]
        for _ in 0..<Int.random(in: 0...2, using: &random) { parameters[names.randomElement(using: &random)!] = value(&random) }
        let evidence: [[String: LooseValue]] = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            var item: [String: LooseValue] = [:]
            for key in ["name", "value", "unit", "limit", "extra"] where Bool.random(using: &random) {
                item[key] = key == "name" || key == "unit" ? (Bool.random(using: &random) ? .text(text(&random)) : value(&random)) : value(&random)
            }
            return item
        }
        return OutsideProposal(action: actions.randomElement(using: &random)!, target: targets.randomElement(using: &random)!,
                               parameters: Bool.random(using: &random) ? parameters : nil,
                               risk: (RiskClass.allCases.map(\.rawValue) + ["extreme"]).randomElement(using: &random)!, rationale: text(&random),
                               evidence: evidence, idempotencyKey: Bool.random(using: &random) ? "k-\(Int.random(in: 0...9, using: &random))" : text(&random))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func everyProposalIsRefusedWithAReasonOrKeepsEveryRule(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let check = ProposalCheck(spec: Self.assistant, plant: Self.plant)
        var taken = 0
        for _ in 0..<2_500 {
            let sent = Self.proposal(&random)
            switch check.draft(sent) {
            case let .failure(refusal):
                #expect(!refusal.reason.isEmpty && Self.isPrintable(refusal.reason), "a refusal says why, printably: \(refusal.reason.debugDescription)")
            case let .success(draft):
                taken += 1
                #expect(Self.assistant.actions.contains(draft.action))
                let line = Self.plant.cells.first { $0.id == draft.target }?.line ?? draft.target
                #expect(line == "body", "within the agent's line: \(draft.target)")
                #expect(draft.action.targetsLine == Self.plant.lines.contains { $0.id == draft.target })
                for (name, number) in draft.parameters {
                    let rule = draft.action.parameters.first { $0.name == name }
                    #expect(rule?.range.contains(number) == true, "\(draft.action.rawValue) \(name) \(number)")
                }
                for rule in draft.action.parameters where rule.isRequired { #expect(draft.parameters[rule.name] != nil) }
                #expect(draft.evidence.allSatisfy { $0.value.isFinite && ($0.limit?.isFinite ?? true) })
                #expect(Self.isPrintable(draft.rationale) && !draft.rationale.isEmpty)
                #expect(draft.evidence.allSatisfy { Self.isPrintable($0.name) && Self.isPrintable($0.unit) })
                #expect(!draft.idempotencyKey.isEmpty && Self.isPrintable(draft.idempotencyKey))
            }
        }
        #expect(taken > 0, "some generated proposals are good ones")
    }
}
