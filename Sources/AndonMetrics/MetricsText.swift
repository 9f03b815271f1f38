import AndonCore
import Prometheus

/// The Prometheus text exposition (format 0.0.4) of one runtime: rendered afresh from its snapshot at each scrape, so
/// a figure is never older than the snapshot and nothing is kept between scrapes.
public enum MetricsText {
    /// The content type `/metrics` answers with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The metrics of `snapshot` and `figures`, with the agents' `latencies` as a histogram; with `includeProcess`, the
    /// standard `process_*` figures too.
    public static func render(_ snapshot: PlantSnapshot, figures: RuntimeFigures, latencies: [AgentLatencyHistogram] = [],
                              includeProcess: Bool = true) -> String {
        let registry = PrometheusCollectorRegistry()
        let runtime = ("runtime", figures.runtimeID)
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            registry.makeGauge(descriptor: described(name, help), labels: [runtime] + labels).set(value)
        }
        func counter(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Int) {
            registry.makeCounter(descriptor: described(name, help), labels: [runtime] + labels).increment(by: Int64(max(0, value)))
        }

        gauge("andon_up", "1 while the runtime serves its plant.", [("plant", snapshot.plantID)], 1)
        gauge("andon_sim_time_seconds", "The plant's simulated or telemetry time.", [], snapshot.time)
        gauge("andon_kill_switch", "1 while the kill switch holds every agent.", [], snapshot.isKillSwitchOn ? 1 : 0)

        for cell in snapshot.cells {
            let labels = [("line", cell.line), ("cell", cell.id)]
            for state in PackMLState.allCases {
                gauge("andon_cell_state", "1 for the PackML state each cell is in, 0 for the others.", labels + [("state", state.rawValue)],
                      cell.state == state ? 1 : 0)
            }
            gauge("andon_cell_oee_ratio", "The cell's shift OEE (availability × performance × quality), 0 to 1.", labels, cell.shiftOEE.value)
            gauge("andon_cell_data_age_seconds", "Seconds since the cell's data last changed.", labels, cell.dataAge)
            gauge("andon_cell_active_alarms", "Alarms active on the cell.", labels, Double(cell.activeAlarms))
            counter("andon_cell_produced_total", "Parts the cell produced this shift.", labels, cell.produced)
            counter("andon_cell_scrap_total", "Parts the cell scrapped this shift.", labels, cell.scrap)
        }
        for line in snapshot.lines where line.shiftOEE.isSettled {
            gauge("andon_line_oee_ratio", "The line's shift OEE, 0 to 1 (only once it is settled).", [("line", line.id)], line.shiftOEE.value)
        }
        for queue in snapshot.queues {
            let labels = [("queue", queue.id)]
            gauge("andon_queue_depth", "Items in the queue now.", labels, Double(queue.depth))
            gauge("andon_queue_capacity", "The queue's capacity.", labels, Double(queue.capacity))
            gauge("andon_queue_high_water", "The most items the queue has held.", labels, Double(queue.highWater))
            counter("andon_queue_drops_total", "Items the queue dropped because it was full.", labels, queue.drops)
        }
        for agent in snapshot.agents {
            let labels = [("agent", agent.id), ("cell", agent.cell)]
            for (statistic, value) in [("p50", agent.p50), ("p90", agent.p90), ("p99", agent.p99), ("max", agent.max)] {
                gauge("andon_agent_decision_latency_percentile_seconds", "An agent's decision latency: its median (p50), p90, p99 and most (max).",
                      labels + [("statistic", statistic)], value)
            }
            gauge("andon_agent_budget_seconds", "An agent's decision budget.", labels, agent.budgetSeconds)
            counter("andon_agent_budget_breaches_total", "Decisions that took longer than the agent's budget.", labels, agent.breaches)
            counter("andon_agent_decisions_total", "Decisions the agent made.", labels, agent.decisions)
        }
        var approvals: [ApprovalState: Int] = [:]
        // This runtime's own: another runtime's pending approval it offers its consoles is counted by that runtime.
        for approval in snapshot.approvals where approval.runtime == nil { approvals[approval.state, default: 0] += 1 }
        for state in ApprovalState.allCases {
            gauge("andon_approvals", "This runtime's approvals in view, by state.", [("state", state.rawValue)], Double(approvals[state] ?? 0))
        }
        counter("andon_telemetry_accepted_total", "Telemetry lines accepted.", [], snapshot.telemetryAccepted ?? 0)
        // Every reason the door knows, at zero until it refuses a line for it, so that a rate can be taken from the start.
        var rejected = Dictionary(uniqueKeysWithValues: RejectReason.allCases.map { ($0.rawValue, 0) })
        rejected.merge(snapshot.telemetryRejectReasons) { $1 }
        for (reason, count) in rejected.sorted(by: { $0.key < $1.key }) {
            counter("andon_telemetry_rejected_total", "Telemetry lines rejected, by reason.", [("reason", reason)], count)
        }
        gauge("andon_audit_healthy", "1 while the audit store takes records; 0 while decisions are refused.", [], snapshot.audit.isHealthy ? 1 : 0)
        counter("andon_audit_records_total", "Records committed to the runtime's audit log.", [], snapshot.audit.records)
        gauge("andon_audit_unwritten", "Records waiting for a store that refuses them.", [], Double(snapshot.audit.unwritten))
        gauge("andon_attached_consoles", "Consoles attached to the runtime's socket.", [], Double(figures.attachedConsoles))
        gauge("andon_attached_agents", "Outside agents attached to the runtime's socket.", [], Double(figures.attachedAgents))

        if includeProcess {
            let process = ProcessFigures.current()
            registry.makeCounter(descriptor: described("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."))
                .increment(by: process.cpuSeconds)
            registry.makeGauge(descriptor: described("process_resident_memory_bytes", "Resident memory size in bytes.")).set(process.residentBytes)
            registry.makeGauge(descriptor: described("process_virtual_memory_bytes", "Virtual memory size in bytes.")).set(process.virtualBytes)
            registry.makeGauge(descriptor: described("process_start_time_seconds", "Start time of the process since unix epoch in seconds."))
                .set(process.startTimeSeconds)
            registry.makeGauge(descriptor: described("process_open_fds", "Number of open file descriptors.")).set(process.openFileDescriptors)
            registry.makeGauge(descriptor: described("process_max_fds", "Maximum number of open file descriptors.")).set(process.maxFileDescriptors)
        }
        return registry.emitToString() + LatencyHistogramText.render(latencies, runtimeID: figures.runtimeID)
    }

    /// A metric's full name and help (the name already carries its unit).
    private static func described(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
