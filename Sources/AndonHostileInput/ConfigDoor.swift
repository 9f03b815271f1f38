import AndonCore

/// The rule for every configuration reader: the text loads, or each problem names the file, a line of the text (its
/// lines counted as YAML counts them) and a column, says something, and prints without control characters.
enum ConfigDoor {
    static let file = "input.yaml"

    static func violation(_ bytes: UnsafeRawBufferPointer, read: (String, String) throws(ConfigErrors) -> Void) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            try read(text, file)
            return nil
        } catch {
            return problem(in: error, text: text)
        }
    }

    private static func problem(in errors: ConfigErrors, text: String) -> String? {
        guard !errors.errors.isEmpty else { return "refused without a reason" }
        let lines = SourceLocation(file: file, byte: .max, in: text).line
        for error in errors.errors {
            let where_ = error.location
            if where_.file != file { return "an error names the file \(where_.file.debugDescription): \(error)" }
            if where_.line < 1 || where_.line > lines + 1 || where_.column < 1 { return "an error is outside the text (\(lines) lines): \(error)" }
            if error.message.isEmpty { return "an error says nothing at \(where_)" }
        }
        let printed = errors.description
        if printed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            return "the errors would print control characters: \(printed.debugDescription)"
        }
        return nil
    }
}
