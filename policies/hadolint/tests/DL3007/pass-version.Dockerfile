FROM nginx:1.27-alpine
FROM localhost:5000/latest
