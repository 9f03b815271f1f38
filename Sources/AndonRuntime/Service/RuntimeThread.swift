import Foundation
import Synchronization

/// A serial executor with a thread of its own: the live runtime's actor runs on it, so ticks, commits and fsyncs
/// never occupy the cooperative pool that the console's and the clients' tasks share, and a busy pool never
/// delays a tick.
final class RuntimeThread: SerialExecutor, @unchecked Sendable {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var head = 0
        var isStopping = false
    }

    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name`.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.withLock { $0.jobs.append(unowned) }
        ready.signal()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread end once the jobs already queued have run.
    func stop() {
        queue.withLock { $0.isStopping = true }
        ready.signal()
    }

    private func loop() {
        while true {
            ready.wait()
            let next: UnownedJob? = queue.withLock { q in
                guard q.head < q.jobs.count else { return nil }
                let job = q.jobs[q.head]
                q.head += 1
                if q.head == q.jobs.count {
                    q.jobs.removeAll(keepingCapacity: true)
                    q.head = 0
                }
                return job
            }
            if let next {
                next.runSynchronously(on: asUnownedSerialExecutor())
            } else if queue.withLock({ $0.isStopping && $0.jobs.isEmpty }) {
                return
            }
        }
    }
}
