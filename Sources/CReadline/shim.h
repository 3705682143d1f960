// GNU readline (Debian: libreadline-dev) for the notebook's prompt, used through its callback interface
// inside curses. Readline's headers need stdio first.
#ifndef MAPL_CREADLINE_SHIM_H
#define MAPL_CREADLINE_SHIM_H

#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

#endif
