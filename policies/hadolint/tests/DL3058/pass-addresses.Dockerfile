FROM ubuntu:24.04
LABEL maintainer="platform-team+docker@example.com"
LABEL maintainer=abcd@google.com
LABEL maintainer="\"ops desk\"@example.org"
LABEL maintainer="ops(on call)@example.org"
