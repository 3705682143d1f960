#define _GNU_SOURCE
#include <fcntl.h>
#include "FileCalls.h"

int mapl_reserve_room(int fd, long long length) {
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)length);
}

int mapl_open_unnamed(const char *folder, unsigned int mode) {
    return open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, (mode_t)mode);
}
