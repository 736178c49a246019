/*  =========================================================================
    gw_h2o - the one way gateway sources include h2o 2.2.5

    Debian's libh2o-evloop.pc omits H2O_USE_LIBUV=0 (gateway/CMakeLists.txt
    defines it); without it h2o/socket.h selects libuv.  h2o's headers are
    not written for -Wextra, so their warnings are silenced here, and only
    here, instead of weakening the project's flags.
    =========================================================================
*/
#ifndef GW_H2O_H_INCLUDED
#define GW_H2O_H_INCLUDED

#if !defined (H2O_USE_LIBUV) || H2O_USE_LIBUV
#   error "gateway sources need H2O_USE_LIBUV=0 (h2o's own evloop)"
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <h2o.h>
#include <h2o/http1.h>
#include <h2o/http2.h>
#pragma GCC diagnostic pop

#endif
