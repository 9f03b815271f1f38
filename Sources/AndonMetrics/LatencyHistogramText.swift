import AndonCore
import Foundation

/// Agents' decision latencies as one Prometheus histogram, `andon_agent_decision_latency_seconds`, written out here
/// because its buckets are counted by the runtime (swift-prometheus's histograms take observations, not counts).
enum LatencyHistogramText {
    /// The metric's name.
    static let name = "andon_agent_decision_latency_seconds"

    /// The histogram's family in text format 0.0.4: `_bucket` for every bound and `+Inf`, `_sum` and `_count` per agent.
    static func render(_ histograms: [AgentLatencyHistogram], runtimeID: String) -> String {
        guard !histograms.isEmpty else { return "" }
        let bounds = AgentLatencyHistogram.bounds.map(boundText)
        var text = "# HELP \(name) Time from an input's delivery to the agent's decision, counted into fixed buckets.\n"
        text += "# TYPE \(name) histogram\n"
        for histogram in histograms {
            let labels = "runtime=\"\(escaped(runtimeID))\",agent=\"\(escaped(histogram.agent))\",cell=\"\(escaped(histogram.cell))\""
            for (bound, count) in zip(bounds, histogram.cumulativeCounts) {
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(count)\n"
            }
            text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
            text += "\(name)_sum{\(labels)} \(histogram.sumSeconds)\n"
            text += "\(name)_count{\(labels)} \(histogram.count)\n"
        }
        return text
    }

    /// A bound in plain decimals (`0.00025`, `1`), as Prometheus's own client libraries write them.
    static func boundText(_ seconds: Double) -> String {
        var text = String(format: "%.9f", seconds)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A label value with `\`, `"` and line feeds escaped, as the text format asks.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
