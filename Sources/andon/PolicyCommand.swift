import AndonCore
import AndonPolicy
import ArgumentParser
import Foundation

/// `andon policy`: check a policy file, run its cases, explain one decision.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check, test and explain a policy file.",
        subcommands: [Check.self, Test.self, Explain.self]
    )

    /// `andon policy check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a policy file; exit 2 listing every problem.")

        @Argument(help: "The policy file.")
        var file: String

        @Option(help: "A roster file, to check that every quorum can be met.")
        var roster: String?

        func run() throws {
            let engine = try PolicyCommand.engine(file)
            if let roster {
                let people = try PolicyCommand.orExit { () throws(ConfigErrors) in try OperatorRoster.load(path: roster) }
                let problems = engine.spec.problems(with: people)
                if !problems.isEmpty { PolicyCommand.fail(ConfigErrors(problems)) }
            }
            let count = engine.spec.rules.count
            print(TerminalText.printable("ok: \(count) rule\(count == 1 ? "" : "s"), version \(engine.version), sha256 \(engine.hash)"))
        }
    }

    /// `andon policy test FILE --cases CASES`.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run worked examples against a policy; exit 1 with a diff per failing case.")

        @Argument(help: "The policy file.")
        var file: String

        @Option(help: "The cases file.")
        var cases: String

        func run() throws {
            let engine = try PolicyCommand.engine(file)
            let examples = try PolicyCommand.orExit { () throws(ConfigErrors) in try PolicyCases.load(path: cases) }
            let report = engine.run(examples)
            print(TerminalText.printable(report.text, keepingNewlines: true))
            if report.failed > 0 { throw ExitCode(1) }
        }
    }

    /// `andon policy explain FILE --request JSON`.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decide one request and say which rules matched and why the others did not.")

        @Argument(help: "The policy file.")
        var file: String

        @Option(help: "The request as JSON, or @path to a JSON or YAML file.")
        var request: String

        func run() throws {
            let engine = try PolicyCommand.engine(file)
            var text = request, name = "<request>"
            if request.hasPrefix("@") {
                name = String(request.dropFirst())
                guard let data = FileManager.default.contents(atPath: name), let contents = String(data: data, encoding: .utf8) else {
                    PolicyCommand.fail(ConfigErrors([ConfigError(.io, at: SourceLocation(file: name, line: 1, column: 1), "cannot read the file")]))
                }
                text = contents
            }
            let parsed = try PolicyCommand.orExit { () throws(ConfigErrors) in try PolicyRequest.parse(text: text, file: name) }
            print(TerminalText.printable(ExplanationText.render(engine.explain(parsed), request: parsed), keepingNewlines: true))
        }
    }

    /// Loads and compiles a policy, or prints every problem and exits 2.
    static func engine(_ path: String) throws -> PolicyEngine {
        try orExit { () throws(ConfigErrors) in try PolicyEngine.load(path: path) }
    }

    /// Runs `body`, turning configuration errors into their listing on standard error and exit code 2.
    static func orExit<T>(_ body: () throws(ConfigErrors) -> T) throws -> T {
        do {
            return try body()
        } catch {
            fail(error)
        }
    }

    /// Prints every problem on standard error and exits 2.
    static func fail(_ errors: ConfigErrors) -> Never {
        FileHandle.standardError.write(Data((errors.description + "\n").utf8))
        PolicyCommand.exit(withError: ExitCode(2))
    }
}
