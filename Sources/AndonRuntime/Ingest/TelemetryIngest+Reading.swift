extension TelemetryIngest {
    /// Reads JSON lines from `fileDescriptor` to the end of input and takes each in.
    /// - Parameter onBlock: runs after each block read (publish a snapshot, check for cancellation); false stops.
    @discardableResult
    public func consume(fileDescriptor: Int32, onBlock: () -> Bool = { true }) -> LineReader.Ending {
        let reader = LineReader(fileDescriptor: fileDescriptor, maxLineBytes: options.maxLineBytes)
        return reader.forEachLine({ ingest(line: $0) }, overlong: { ingestOverlongLine(prefix: $0, length: $1) }, onBlock: onBlock)
    }
}
