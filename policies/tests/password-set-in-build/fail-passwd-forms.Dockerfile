FROM centos:7
RUN passwd -d root
RUN echo secret | passwd --stdin admin
RUN useradd -p "$(openssl passwd -1 secret)" admin
RUN usermod --password '$6$abc$def' root
