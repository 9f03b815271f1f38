import AndonHostileInput

/// libFuzzer's entry: one input through the telemetry door; a broken rule stops the run with its reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelemetry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    if let violation = HostileInput.violation(at: .telemetry, UnsafeRawBufferPointer(start: start, count: count)) {
        fatalError(violation)
    }
    return 0
}
