#include "ThreadState.h"

_Thread_local int mapl_grad_disabled_depth = 0;
