import AndonCore

/// A key press, as the console state machine sees it.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Home, End, Page Up, Page Down.
    case home, end, pageUp, pageDown
    /// Tab and Shift-Tab.
    case tab, backTab
    /// Enter or Return.
    case enter
    /// Escape.
    case escape
    /// Backspace and Delete.
    case backspace, delete
    /// The terminal changed size.
    case resize
    /// Ctrl-L: redraw everything.
    case redraw
    /// Ctrl-C (the terminal's interrupt): cancels a dialog, prompt or typed line; elsewhere, as `q`.
    case interrupt
}

/// What the console asks its shell to do after a key: the state machine itself does no I/O.
public enum ConsoleEffect: Hashable, Sendable {
    /// Send a command to the runtime as the current operator.
    case send(OperatorCommand)
    /// Leave the console and restore the terminal.
    case quit
    /// Change the frame-rate cap.
    case setFPS(Int)
    /// Look up a person and act as them.
    case switchOperator(String)
    /// Change the theme.
    case setTheme(String)
    /// Forget the previous frame and redraw every cell.
    case redrawAll
}
