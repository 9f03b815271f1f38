import Foundation

/// Splits a script of SQL statements at the semicolons that end them (outside quotes, dollar-quoted bodies and `--`
/// comments), since each statement goes to the server on its own.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var dollarTag: String?
        var inQuote = false
        var index = script.startIndex
        while index < script.endIndex {
            let character = script[index]
            if let tag = dollarTag {
                if script[index...].hasPrefix(tag) {
                    current += tag
                    index = script.index(index, offsetBy: tag.count)
                    dollarTag = nil
                    continue
                }
            } else if inQuote {
                if character == "'" { inQuote = false }
            } else if character == "'" {
                inQuote = true
            } else if character == "-", script[index...].hasPrefix("--") {
                let end = script[index...].firstIndex(of: "\n") ?? script.endIndex
                index = end
                continue
            } else if character == "$", let close = script[script.index(after: index)...].firstIndex(of: "$"),
                      script[script.index(after: index)..<close].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let tag = String(script[index...close])
                current += tag
                dollarTag = tag
                index = script.index(after: close)
                continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                index = script.index(after: index)
                continue
            }
            current.append(character)
            index = script.index(after: index)
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
