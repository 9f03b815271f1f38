#ifndef ANDON_CNCURSES_SHIM_H
#define ANDON_CNCURSES_SHIM_H

// SwiftPM drops the defines pkg-config would give, so wide-character support is switched on here,
// before the header is read.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// The standard screen; a C global Swift 6 would treat as shared mutable state.
static inline WINDOW *andon_stdscr(void) { return stdscr; }

// getmaxyx is a macro: the size of a window in rows and columns.
static inline void andon_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

// Attribute constants are macros built from NCURSES_BITS.
static inline attr_t andon_a_normal(void) { return A_NORMAL; }
static inline attr_t andon_a_bold(void) { return A_BOLD; }
static inline attr_t andon_a_reverse(void) { return A_REVERSE; }
static inline attr_t andon_a_dim(void) { return A_DIM; }
static inline attr_t andon_a_underline(void) { return A_UNDERLINE; }

// COLOR_PAIR is a macro: the attribute bits selecting colour pair n.
static inline attr_t andon_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

// COLORS and COLOR_PAIRS are globals set by start_color.
static inline int andon_colors(void) { return COLORS; }
static inline int andon_color_pairs(void) { return COLOR_PAIRS; }

// ACS_* are lookups into acs_map, valid only after initscr: call these then, never cache them early.
static inline chtype andon_acs_hline(void) { return ACS_HLINE; }
static inline chtype andon_acs_vline(void) { return ACS_VLINE; }
static inline chtype andon_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype andon_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype andon_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype andon_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline chtype andon_acs_ltee(void) { return ACS_LTEE; }
static inline chtype andon_acs_rtee(void) { return ACS_RTEE; }

// Key codes Swift sees only as macros.
static inline int andon_key_up(void) { return KEY_UP; }
static inline int andon_key_down(void) { return KEY_DOWN; }
static inline int andon_key_left(void) { return KEY_LEFT; }
static inline int andon_key_right(void) { return KEY_RIGHT; }
static inline int andon_key_home(void) { return KEY_HOME; }
static inline int andon_key_end(void) { return KEY_END; }
static inline int andon_key_npage(void) { return KEY_NPAGE; }
static inline int andon_key_ppage(void) { return KEY_PPAGE; }
static inline int andon_key_btab(void) { return KEY_BTAB; }
static inline int andon_key_enter(void) { return KEY_ENTER; }
static inline int andon_key_backspace(void) { return KEY_BACKSPACE; }
static inline int andon_key_dc(void) { return KEY_DC; }
static inline int andon_key_resize(void) { return KEY_RESIZE; }
static inline int andon_key_code_yes(void) { return KEY_CODE_YES; }

// Draws one grapheme (up to CCHARW_MAX code points) with attributes and colour pair at (y, x) of stdscr.
static inline int andon_put_cell(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

// Draws an ACS line-drawing character with attributes and colour pair at (y, x) of stdscr.
static inline int andon_put_acs(int y, int x, chtype ch, attr_t attrs, int pair) {
    return mvwaddch(stdscr, y, x, ch | attrs | (attr_t)COLOR_PAIR(pair));
}

// True when the current locale encodes text as UTF-8 (call after setlocale).
static inline int andon_locale_is_utf8(void) {
    const char *set = nl_langinfo(CODESET);
    return set != NULL && (set[0] == 'U' || set[0] == 'u') && (set[1] == 'T' || set[1] == 't') && (set[2] == 'F' || set[2] == 'f');
}

#endif
