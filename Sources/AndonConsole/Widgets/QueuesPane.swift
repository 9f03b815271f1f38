import AndonCore

/// WIP buffers and runtime mailboxes: a bar, depth/capacity, high-water mark, drops.
struct QueuesPane {
    let context: FrameContext

    /// Draws into the inside of a pane; returns the rows shown.
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        guard rect.height > 0 else { return 0 }
        let queues = context.snapshot.queues
        if queues.isEmpty {
            canvas.write("no queues", .muted, row: 0, in: rect)
            return rect.height
        }
        let (position, selectedRow) = context.selection(.queues, count: queues.count, height: rect.height)
        let nameWidth = min(18, max(8, rect.width / 4))
        let barWidth = max(4, min(20, rect.width - nameWidth - 34))
        for line in 0..<min(rect.height, queues.count - position.top) {
            let index = position.top + line
            let queue = queues[index]
            let fraction = queue.capacity > 0 ? Double(queue.depth) / Double(queue.capacity) : 0
            let isFull = fraction >= 0.9 || queue.drops > 0
            let bar = context.glyphs.bar(fraction: fraction, width: barWidth)
            var segments = [
                Segment(" " + Format.id(queue.id, to: nameWidth), queue.kind == .wip ? .text : .muted),
                Segment(" " + bar.filled, isFull ? .queueFull : .queueBar),
                Segment(bar.empty, .border),
                Segment(DisplayWidth.pad("\(queue.depth)/\(queue.capacity)", to: 10, alignRight: true)),
                Segment("  hw ", .muted), Segment(DisplayWidth.pad(String(queue.highWater), to: 5)),
            ]
            if queue.drops > 0 { segments += [Segment(" drops ", .queueFull), Segment(String(queue.drops), .queueFull)] }
            if queue.waits > 0 { segments += [Segment(" waits ", .muted), Segment(String(queue.waits))] }
            canvas.write(segments, row: line, in: rect, selected: index == selectedRow && context.isFocused(.queues))
        }
        MoreMarker.draw(above: position.top, below: queues.count - position.top - rect.height, alarms: nil, into: &canvas, in: rect)
        return rect.height
    }
}
