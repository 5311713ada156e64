export { BlueprintReadmeCard } from './BlueprintReadmeCard';
