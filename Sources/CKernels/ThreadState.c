#include "ThreadState.h"

_Thread_local int mapl_grad_disabled_depth = 0;
_Thread_local void *mapl_current_stop_flag = 0;
_Thread_local void *mapl_current_layer_scope = 0;
_Thread_local void *mapl_current_random_source = 0;
