import CYaml

/// The most a YAML configuration file may make its reader do, checked on the parser's events before anything is
/// built: a file no larger than ``maxBytes``, and aliases that repeat at most ``maxRepeatedValues`` values in all.
///
/// Without the second limit a few kilobytes of anchors that alias aliases ("billion laughs") expand into millions
/// of values, and hold a loader at full CPU until memory runs out. The count is exact: an alias repeats every value
/// of the node it names, aliases inside that node included, and it costs one pass over the events whatever the file.
enum YAMLBounds {
    /// The largest file read: 16 MiB (a generated plant of 10,000 cells is about 9 MiB).
    static let maxBytes = 16 << 20
    /// The most values all aliases of one file may repeat together.
    static let maxRepeatedValues = 100_000

    /// Where and why `text` goes past a limit, or nil when it stays within them (or is not YAML: the parser says why).
    static func problem(in text: String) -> (line: Int, column: Int, message: String)? {
        let count = text.utf8.count
        if count > maxBytes {
            return (1, 1, "the file is \(count) bytes, more than the \(maxBytes >> 20) MiB a configuration file may have")
        }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in repetition(in: UnsafeBufferPointer(buffer)) }
    }

    private static func repetition(in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, message: String)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var values = 0, repeated = 0
        var sizes: [String: Int] = [:]
        var open: [(anchor: String?, start: Int)] = []
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_SCALAR_EVENT:
                values += 1
                if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
            case YAML_SEQUENCE_START_EVENT:
                open.append((name(event.data.sequence_start.anchor), values))
                values += 1
            case YAML_MAPPING_START_EVENT:
                open.append((name(event.data.mapping_start.anchor), values))
                values += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let node = open.popLast(), let anchor = node.anchor { sizes[anchor] = values - node.start }
            case YAML_ALIAS_EVENT:
                let size = name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                values += size
                repeated += size
                if repeated > maxRepeatedValues {
                    let mark = event.start_mark
                    return (Int(mark.line) + 1, Int(mark.column) + 1,
                            "aliases repeat more than \(maxRepeatedValues) values here; the file would expand without bound")
                }
            case YAML_STREAM_END_EVENT:
                return nil
            default:
                break
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
