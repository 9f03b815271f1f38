import CNCurses

extension CursesScreen {
    /// The key for an ncurses function-key code.
    static func key(code: Int32) -> Key? {
        switch code {
        case andon_key_up(): .up
        case andon_key_down(): .down
        case andon_key_left(): .left
        case andon_key_right(): .right
        case andon_key_home(): .home
        case andon_key_end(): .end
        case andon_key_npage(): .pageDown
        case andon_key_ppage(): .pageUp
        case andon_key_btab(): .backTab
        case andon_key_enter(): .enter
        case andon_key_backspace(): .backspace
        case andon_key_dc(): .delete
        case andon_key_resize(): .resize
        default: nil
        }
    }

    /// The key for a character read by `wget_wch`.
    static func key(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 12: return .redraw
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
