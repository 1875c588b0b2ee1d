FROM busybox:1.36
LABEL com.example.note=""
CMD ["sh"]
