import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The app renders MUI and Backstage components in jsdom; on a loaded 2-core machine the default
// 1 s for findBy/waitFor is too tight. A page that never shows what is awaited still fails.
configure({ asyncUtilTimeout: 5000 });
