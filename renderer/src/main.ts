// The renderer's entry: the theme, Pinia, and the app. The same bundle runs in Electron
// (IPC transport) and in a browser against `distlab serve` (WebSocket transport).
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useUiStore } from './stores/ui.js';
import './styles/theme.css';

const app = createApp(App);
app.use(createPinia());
app.config.errorHandler = (error, _instance, info) => {
  // A bug in one component must not blank the window: say what broke instead.
  console.error(`Distlab UI error (${info}):`, error);
  useUiStore().toast('error', `Something in the window failed (${info}): ${error instanceof Error ? error.message : String(error)}`);
};
app.mount('#app');
