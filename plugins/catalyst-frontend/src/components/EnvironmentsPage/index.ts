export { EnvironmentsContent, EnvironmentsPage } from './EnvironmentsPage';
