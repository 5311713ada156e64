export { ApplicationManifests, groupByFolder, languageOf } from './ApplicationManifests';
