// Backstage's prettier settings, at the line width this codebase is written for.
module.exports = {
  ...require('@backstage/cli/config/prettier.json'),
  printWidth: 120,
};
