#ifndef MAPL_FILE_CALLS_H
#define MAPL_FILE_CALLS_H

// Linux file calls Swift's Glibc module does not export (they need _GNU_SOURCE).

// fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, length): reserves the room for `length` bytes without changing the
// file's size or contents. 0, or -1 with errno set.
int mapl_reserve_room(int fd, long long length);

// open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode): a file without a name in `folder`, which a crash
// leaves nowhere. A descriptor, or -1 with errno set (EOPNOTSUPP where the file system cannot).
int mapl_open_unnamed(const char *folder, unsigned int mode);

#endif
