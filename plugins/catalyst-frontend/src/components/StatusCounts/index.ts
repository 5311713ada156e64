export { StatusCounts, countByStatus } from './StatusCounts';
