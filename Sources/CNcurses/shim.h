// ncursesw (Debian: libncursesw5-dev) for the notebook, with the wide-character API switched on and the
// macros Swift cannot import (attributes, colour pairs, sizes) made into functions.
#ifndef MAPL_CNCURSES_SHIM_H
#define MAPL_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline int mapl_lines(void) { return LINES; }
static inline int mapl_cols(void) { return COLS; }
static inline int mapl_color_pairs(void) { return COLOR_PAIRS; }
static inline int mapl_colors(void) { return COLORS; }
static inline attr_t mapl_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t mapl_a_bold(void) { return A_BOLD; }
static inline attr_t mapl_a_dim(void) { return A_DIM; }
static inline attr_t mapl_a_reverse(void) { return A_REVERSE; }
static inline attr_t mapl_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mapl_a_normal(void) { return A_NORMAL; }
static inline int mapl_key_resize(void) { return KEY_RESIZE; }
static inline WINDOW *mapl_stdscr(void) { return stdscr; }

/// Draws one cell: the character `text` (UTF-8, one grapheme) with attributes and a colour pair.
static inline int mapl_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &c);
}

#endif
