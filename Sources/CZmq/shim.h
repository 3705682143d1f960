// ZeroMQ (Debian: libzmq3-dev): the sockets the Jupyter kernel speaks its messaging protocol over.
#include <zmq.h>
