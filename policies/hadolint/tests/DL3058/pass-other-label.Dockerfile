FROM ubuntu:24.04
LABEL author="Jane Doe <jane.doe@example.com>"
