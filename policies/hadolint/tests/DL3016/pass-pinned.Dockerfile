FROM node:20
RUN npm install -g typescript@5.4.5 @angular/cli@17.3.0 && npm install express@^4.19.2
RUN npm install git+https://github.com/user/repo.git#v1.0.0 git+ssh://git@github.com:user/other.git#semver:^1.0.0
