FROM debian:12
RUN <<EOF
#!/usr/bin/env python3
print($x)
EOF
