import AndonHostileInput

/// libFuzzer's entry: one input through the scenario door; a broken rule stops the run with its reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    if let violation = HostileInput.violation(at: .scenario, UnsafeRawBufferPointer(start: start, count: count)) {
        fatalError(violation)
    }
    return 0
}
